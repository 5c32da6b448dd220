"""Pages that only read, read without a transaction.

A transaction costs two round trips to the database (BEGIN and COMMIT) on top of the page's
queries: on the pages attendees and organisers open most, up to a fifth of their time
(docs/performance.md). PostgreSQL at READ COMMITTED gives each statement its own snapshot
anyway, so a page that only reads loses nothing by running each statement on its own
(autocommit). Such a session refuses to write: a write that such a page must make (settling
answers at the deadline) runs in a transaction of its own (`writing`).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import Session

READS_ONLY = "reads.only"


class WriteOnReadsOnly(RuntimeError):
    """A reads-only session was asked to write: the write belongs in `writing(session)`."""


def read_without_transaction(session: Session) -> None:
    """From now on `session` reads in autocommit and refuses writes; call it before the
    session's first query."""
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    session.info[READS_ONLY] = True


def done_reading(session: Session) -> None:
    """End what `read_without_transaction` began: the connection goes back to the pool (and to
    transactions), and the session may write again (it outlives the request when a caller
    shares its app context: tests, benchmarks)."""
    if session.info.pop(READS_ONLY, False):
        session.rollback()  # nothing to undo: every statement was its own transaction


def is_reads_only(session: Session) -> bool:
    """Whether `session` was made to read without a transaction."""
    return bool(session.info.get(READS_ONLY))


@contextmanager
def writing(session: Session) -> Iterator[Session]:
    """The session to write with: `session` itself (its caller commits), or, if it only
    reads, a new session on the same database whose transaction is committed when the block
    ends (rolled back if it raises)."""
    if not is_reads_only(session):
        yield session
        return
    with Session(bind=session.get_bind()) as writer:
        yield writer
        writer.commit()


@sa.event.listens_for(Session, "before_flush")
def _refuse_writes(session: Session, _context, _instances) -> None:
    if is_reads_only(session) and (session.new or session.dirty or session.deleted):
        raise WriteOnReadsOnly(
            "This page reads without a transaction and cannot write; use reads.writing()."
        )

"""Where a unit of work ends (docs/transactions.md): services only flush; the request, the
command or the job commits once, and only then sends the mail and starts the jobs that its
work asked for, so that nobody is told of, and no worker reads, what did not happen."""

from collections.abc import Callable

from flask import g

from matchmaker.extensions import db


def after_commit(action: Callable[[], None]) -> None:
    """Run `action` once this request's (or command's) transaction is committed; never if
    it is rolled back."""
    g.setdefault("after_commit", []).append(action)


def commit() -> None:
    """Commit the one transaction, then carry out what waited for it."""
    db.session.commit()
    for action in g.pop("after_commit", []):
        action()


def discard() -> None:
    """Roll the transaction back and forget what waited for its commit."""
    db.session.rollback()
    g.pop("after_commit", None)

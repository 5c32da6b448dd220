"""Mail as queued work. A change's messages are written in the change's own transaction (so
nobody is told of what did not happen, and a change made once is told once); a background job
sends what is due through one connection per batch, retries with growing waits, and marks
each message sent so that no message leaves twice."""

import base64
import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import OutgoingMail
from matchmaker.models.mail import SUBJECT_MAX
from matchmaker.services.core import claims
from matchmaker.services.core.messages import Attachment, Mail
from matchmaker.vocabulary import MailStatus

BATCH = 200
ATTEMPTS = 6  # tried over about half an hour before it counts as failed
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
# A message a sender took and never marked (its process died mid-batch) is tried again:
# it may leave twice only when a sender dies between the server's answer and the mark.
CLAIM_EXPIRES = timedelta(minutes=10)


class Transport(Protocol):
    def connection(self) -> contextlib.AbstractContextManager[Callable[[Mail], None]]: ...


class Outbox:
    """A Mailer that writes each message into the transaction of the change it tells of,
    all at once when that transaction commits (one insert for thousands of messages); then
    `on_commit` starts the job that sends them."""

    def __init__(self, session: Session, on_commit: Callable[[], None]):
        self.session = session
        self.on_commit = on_commit
        self.waiting: list[dict] = []

    def send(self, message: Mail) -> None:
        if not self.waiting:
            sa.event.listen(self.session, "before_commit", self._write, once=True)
            sa.event.listen(self.session, "after_soft_rollback", self._forget, once=True)
            self.on_commit()
        self.waiting.append(
            {
                "to": message.to,
                "subject": message.subject[:SUBJECT_MAX],
                "body": message.body,
                "attachments": stored_attachments(message.attachments),
            }
        )

    def _write(self, session: Session) -> None:
        waiting, self.waiting = self.waiting, []
        if waiting:
            session.execute(sa.insert(OutgoingMail), waiting)

    def _forget(self, session: Session, previous_transaction) -> None:
        self.waiting = []


def stored_attachments(attachments: tuple[Attachment, ...]) -> list[dict] | None:
    """A message's files as the outbox keeps them (JSON: the bytes in base64)."""
    if not attachments:
        return None
    return [
        {
            "filename": a.filename,
            "content_type": a.content_type,
            "data": base64.b64encode(a.data).decode("ascii"),
        }
        for a in attachments
    ]


def as_mail(message: OutgoingMail) -> Mail:
    """A waiting message as the transport sends it, with its files."""
    files = tuple(
        Attachment(a["filename"], a["content_type"], base64.b64decode(a["data"]))
        for a in message.attachments or ()
    )
    return Mail(message.to, message.subject, message.body, files)


def claim_due(session: Session, *, now: datetime, limit: int = BATCH) -> list[OutgoingMail]:
    """Take up to `limit` messages that are due for this sender, and commit (`claims`)."""
    return claims.claim_due(session, OutgoingMail, now=now, limit=limit)


def release_abandoned(session: Session, *, now: datetime) -> int:
    """Messages taken by a sender that stopped before marking them: due again; flush only."""
    return claims.release_abandoned(session, OutgoingMail, now=now, expires=CLAIM_EXPIRES)


def waiting_mail(session: Session, *, now: datetime) -> int:
    """How many messages are due to be sent now."""
    return claims.waiting(session, OutgoingMail, now=now)


def retry_wait(attempts: int) -> timedelta:
    """How long to wait before the next try, after `attempts` failed ones."""
    return min(FIRST_WAIT * 2 ** (attempts - 1), LONGEST_WAIT)


def deliver_due(
    session: Session, transport: Transport, *, clock: Callable[[], datetime]
) -> tuple[int, int]:
    """The mail job: send every due message, a batch per connection, and record each one's
    outcome (sent; or due again later; or failed after ATTEMPTS tries). Returns (sent,
    not sent)."""
    release_abandoned(session, now=clock())
    session.commit()
    sent = missed = 0
    while batch := claim_due(session, now=clock()):
        try:
            with transport.connection() as send:
                for message in batch:
                    try:
                        send(as_mail(message))
                    except Exception as error:  # noqa: BLE001 - one refused address spoils no other
                        _missed(message, error, clock())
                        missed += 1
                    else:
                        message.status, message.sent_at = MailStatus.SENT, clock()
                        sent += 1
        except Exception as error:  # noqa: BLE001 - the server itself: every message waits
            for message in batch:
                if message.status == MailStatus.SENDING:
                    _missed(message, error, clock())
                    missed += 1
        session.commit()
    return sent, missed


def _missed(message: OutgoingMail, error: Exception, now: datetime) -> None:
    message.error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= ATTEMPTS:
        message.status = MailStatus.FAILED
    else:
        message.status, message.due_at = MailStatus.QUEUED, now + retry_wait(message.attempts)


@contextlib.contextmanager
def one_by_one(send: Callable[[Mail], None]) -> Iterator[Callable[[Mail], None]]:
    """A connection for a transport that has none (the log, a test's recorder)."""
    yield send

"""Mail as queued work: written with the change's transaction, sent once through one
connection per batch, retried with growing waits, failed after the last try."""

import contextlib
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from matchmaker.models import OutgoingMail
from matchmaker.services.core import outbox
from matchmaker.services.core.messages import Mail

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


class Transport:
    """Counts connections; refuses the addresses in `refuse`."""

    def __init__(self, refuse=()):
        self.refuse, self.sent, self.connections = set(refuse), [], 0

    @contextlib.contextmanager
    def connection(self):
        self.connections += 1

        def send(message: Mail) -> None:
            if message.to in self.refuse:
                raise OSError(f"{message.to} refused")
            self.sent.append(message.to)

        yield send


def _write(session, addresses, *, commit=True):
    started = []
    mailer = outbox.Outbox(session(), on_commit=lambda: started.append(True))
    for address in addresses:
        mailer.send(Mail(to=address, subject="Hello", body="Body"))
    (session.commit if commit else session.rollback)()
    return started


def _states(session):
    session.expire_all()
    return session.execute(
        sa.select(OutgoingMail.to, OutgoingMail.status, OutgoingMail.attempts).order_by(
            OutgoingMail.id
        )
    ).all()


def test_messages_are_written_when_the_change_commits_and_never_when_it_rolls_back(session):
    started = _write(session, ["a@example.org", "b@example.org"])
    _write(session, ["c@example.org"], commit=False)

    assert started == [True]  # one job for the whole change
    assert _states(session) == [("a@example.org", "queued", 0), ("b@example.org", "queued", 0)]


def test_due_mail_leaves_once_through_one_connection_per_batch(session):
    _write(session, [f"p{k}@example.org" for k in range(450)])
    transport = Transport()

    first = outbox.deliver_due(session, transport, clock=lambda: NOW + timedelta(days=1))
    second = outbox.deliver_due(session, transport, clock=lambda: NOW + timedelta(days=1))

    assert first == (450, 0) and second == (0, 0)
    assert transport.connections == 3  # batches of 200
    assert sorted(transport.sent) == sorted(f"p{k}@example.org" for k in range(450))
    assert {state for _, state, _ in _states(session)} == {"sent"}


def test_a_message_taken_by_one_sender_is_not_sent_by_another(session):
    _write(session, ["a@example.org", "b@example.org"])
    later = NOW + timedelta(days=1)
    taken = outbox.claim_due(session, now=later, limit=1)
    transport = Transport()

    outbox.deliver_due(session, transport, clock=lambda: later)

    assert [m.to for m in taken] == ["a@example.org"]
    assert transport.sent == ["b@example.org"]


def test_a_refused_message_is_retried_with_growing_waits_then_failed(session):
    _write(session, ["bad@example.org", "good@example.org"])
    transport = Transport(refuse={"bad@example.org"})
    clock = [NOW + timedelta(days=1)]
    waits = []

    for _ in range(outbox.ATTEMPTS):
        outbox.deliver_due(session, transport, clock=lambda: clock[0])
        bad = session.scalars(
            sa.select(OutgoingMail).where(OutgoingMail.to == "bad@example.org")
        ).one()
        if bad.status == "queued":
            due = bad.due_at if bad.due_at.tzinfo else bad.due_at.replace(tzinfo=UTC)
            waits.append((due - clock[0]).total_seconds())
            clock[0] = due

    assert transport.sent == ["good@example.org"]
    assert waits == [30, 60, 120, 240, 480]
    assert _states(session)[0][1:] == ("failed", outbox.ATTEMPTS)


def test_a_message_taken_by_a_sender_that_died_is_due_again_after_ten_minutes(session):
    _write(session, ["a@example.org"])
    later = NOW + timedelta(days=1)
    outbox.claim_due(session, now=later)  # and the sender died

    early = outbox.deliver_due(session, Transport(), clock=lambda: later + timedelta(minutes=9))
    late = outbox.deliver_due(session, Transport(), clock=lambda: later + timedelta(minutes=11))

    assert (early, late) == ((0, 0), (1, 0))


def test_files_sent_with_a_message_leave_with_it_byte_for_byte(session):
    from matchmaker.services.core.messages import Attachment

    card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë\r\nEND:VCARD\r\n".encode()
    mailer = outbox.Outbox(session(), on_commit=lambda: None)
    mailer.send(Mail("a@example.org", "Hi", "Body", (Attachment("x.vcf", "text/vcard", card),)))
    mailer.send(Mail("b@example.org", "Hi", "Body"))
    session.commit()
    got = []

    @contextlib.contextmanager
    def connection():
        yield got.append

    transport = type("T", (), {"connection": staticmethod(connection)})
    outbox.deliver_due(session, transport, clock=lambda: NOW + timedelta(hours=1))

    assert [m.to for m in got] == ["a@example.org", "b@example.org"]
    assert got[0].attachments == (Attachment("x.vcf", "text/vcard", card),)
    assert got[1].attachments == ()

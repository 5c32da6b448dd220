"""After the event: one follow-up per attendee who met someone, two days after the last day,
with the shared contacts attached as vCards; private next steps, reminded on their day once."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.models import Meeting, NextStep
from matchmaker.services.errors import Invalid, NotFound
from matchmaker.services.people import follow_up
from tests import factories
from tests.fakes import RecordingMailer
from tests.services.test_event_day import BERLIN


def _met_event(session):
    """A published event where the people of the first meeting both said "we met" and both
    share their details, and those of the second met without sharing."""
    ev, profiles = factories.published_event(
        session, people=6, one_to_one_slots=1, tables=3, group_slots=0, rooms=0
    )
    first, second, third = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id).order_by(Meeting.id)
    ).all()
    for meeting, share in ((first, True), (second, False)):
        for seat in meeting.seats:
            seat.outcome = "met"
            seat.profile.share_contact = share
    session.commit()
    return ev, first, second, third


def _day(offset, hour=10):
    return datetime.combine(factories.EVENT_DAY + timedelta(days=offset),
                            datetime.min.time()).replace(hour=hour, tzinfo=BERLIN)  # fmt: skip


def _send(session, now):
    mailer = RecordingMailer()
    sent = follow_up.send_follow_ups(session, now=now, mailer=mailer, link="https://x/connections")
    session.commit()
    assert sent == len(mailer.sent)
    return mailer.sent


def test_one_follow_up_two_days_after_with_the_shared_contacts_attached(session):
    ev, first, second, third = _met_event(session)
    sharing = [s.profile for s in first.seats]
    private = [s.profile for s in second.seats]

    assert _send(session, _day(1)) == []  # one day after: not yet
    sent = _send(session, _day(2))
    again = _send(session, _day(3))

    assert again == []
    by_address = {m.to: m for m in sent}
    assert set(by_address) == {p.user.email for p in sharing + private}
    mail = by_address[sharing[0].user.email]
    assert mail.subject == "PyCon Test: the people you met"
    assert sharing[1].name in mail.body and sharing[1].user.email in mail.body
    (card,) = mail.attachments
    assert card.filename == "pycon-test-people-you-met.vcf" and card.content_type.startswith(
        "text/vcard"
    )
    assert f"FN:{sharing[1].name}" in card.data.decode()
    quiet = by_address[private[0].user.email]
    assert private[1].name in quiet.body and private[1].user.email not in quiet.body
    assert quiet.attachments == ()
    assert all(s.profile.user.email not in by_address for s in third.seats)  # met nobody


def test_no_follow_up_for_an_event_long_past(session):
    _met_event(session)

    assert _send(session, _day(12)) == []


def test_next_steps_are_private_checked_and_reminded_once_on_their_day(session):
    ev, first, _, third = _met_event(session)
    me, them = (s.profile for s in first.seats)
    stranger = third.seats[0].profile
    now = _day(3)
    save = lambda **kw: follow_up.save_next_step(session, user_id=me.user_id, now=now, **kw)  # noqa: E731

    with pytest.raises(NotFound):
        save(other_user_id=stranger.user_id, text="x", remind_on=None)
    with pytest.raises(Invalid) as wrong:
        save(other_user_id=them.user_id, text="", remind_on=date(2030, 5, 1))
    assert set(wrong.value.errors) == {"text", "remind_on"}
    save(
        other_user_id=them.user_id, text="Send the paper", remind_on=now.date() + timedelta(days=2)
    )
    session.commit()

    def remind(at):
        mailer = RecordingMailer()
        follow_up.send_next_step_reminders(session, now=at, mailer=mailer, link="https://x/c")
        session.commit()
        return mailer.sent

    assert remind(_day(4)) == []
    (mail,) = remind(_day(5))
    assert remind(_day(6)) == []
    assert mail.to == me.user.email and mail.subject == f"Your next step with {them.user.name}"
    assert "Send the paper" in mail.body
    save(
        other_user_id=them.user_id, text="Send the paper", remind_on=now.date() + timedelta(days=5)
    )
    session.commit()
    assert session.scalar(sa.select(NextStep.reminded_at)) is None  # a new day: reminded again
    assert follow_up.my_next_steps(session, user_id=them.user_id) == {}

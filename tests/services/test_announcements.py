"""Messages from organisers: a reminder to those with introductions waiting, a message to
everyone, both kept on record and limited to a few a day."""

import pytest
import sqlalchemy as sa

from matchmaker.models import Meeting
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions import announcements, answers
from tests import factories
from tests.fakes import RecordingMailer
from tests.services.test_event_day import _at


def test_reminders_go_to_those_with_introductions_waiting_once_each(session):
    ev, profiles = factories.published_event(
        session, people=4, one_to_one_slots=2, tables=2, group_slots=0, rooms=0
    )
    for meeting in session.scalars(sa.select(Meeting).where(Meeting.run_id == ev.published_run_id)):
        seat = meeting.seats[0]
        answers.respond(session, slug=ev.slug, user_id=seat.profile.user_id,
                        meeting_id=meeting.id, accept=True, now=_at(8, 0, day=-5),
                        notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    session.commit()
    waiting = announcements.waiting_for_answers(session, event=ev, now=_at(8, 0, day=-5))
    mailer = RecordingMailer()

    sent = announcements.remind_unanswered(session, event=ev, actor_id=ev.organisers[0].user_id,
                                           now=_at(8, 0, day=-5), mailer=mailer, link="https://x/i")  # fmt: skip

    assert sent == len(waiting) > 0
    assert sorted(m.to for m in mailer.sent) == sorted(w.email for w in waiting)
    counts = {w.email: w.waiting for w in waiting}
    first = mailer.sent[0]
    assert f"{counts[first.to]} introduction" in first.body and "https://x/i" in first.body
    assert announcements.messages_left(session, event=ev, now=_at(9, 0, day=-5)) == 2


def test_a_message_to_everyone_is_checked_and_limited_to_three_a_day(session):
    ev, profiles = factories.matchable_event(session, people=3)
    send = lambda **kw: announcements.message_everyone(  # noqa: E731
        session, event=ev, actor_id=None, now=_at(10, 0), mailer=mailer, link="https://x/i", **kw
    )
    mailer = RecordingMailer()

    with pytest.raises(Invalid) as wrong:
        send(subject=" ", body="x" * 5001)
    assert set(wrong.value.errors) == {"subject", "body"}
    for _ in range(3):
        assert send(subject="Lunch  moved", body="Lunch is at 13:00 in Hall 2.") == 3
    with pytest.raises(Conflict, match="the most a day allows"):
        send(subject="Again", body="Again")

    assert len(mailer.sent) == 9
    assert mailer.sent[0].subject == "PyCon Test: Lunch moved"
    assert "Hello Person 0," in mailer.sent[0].body and "Lunch is at 13:00" in mailer.sent[0].body
    assert [m.recipients for m in announcements.sent_messages(session, event=ev)] == [3, 3, 3]
    assert announcements.messages_left(session, event=ev, now=_at(10, 0, day=1)) == 3

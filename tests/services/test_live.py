"""The organisers' live view: per slot, meetings, confirmed, checked in, did not come, found
someone else, answer rate and average rating, as the event happens."""

from matchmaker.services.core.messages import Notice
from matchmaker.services.introductions import answers, at_the_table, live
from tests.fakes import RecordingMailer
from tests.services.test_at_the_table import _check_in, _event, _meetings, _someone_else
from tests.services.test_event_day import _at


def test_the_live_view_follows_a_slot_with_a_no_show_and_a_standby_pick(session):
    ev, _ = _event(session)
    first, second, third, fourth = _meetings(session, ev)
    a, _b = first.seats
    c, _d = second.seats
    for seat in (first.seats[0], first.seats[1], third.seats[0]):
        answers.respond(session, slug=ev.slug, user_id=seat.profile.user_id,
                        meeting_id=seat.meeting_id, accept=True, now=_at(8, 0),
                        notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    session.commit()

    before = live.live_view(session, event=ev, now=_at(8, 30)).slots[0]
    for seat in (a, c, *third.seats):
        _check_in(session, ev, seat, _at(8, 58))
    _someone_else(session, ev, a, _at(9, 6))
    during = live.live_view(session, event=ev, now=_at(9, 10)).slots[0]
    answers.record_outcome(session, slug=ev.slug, user_id=third.seats[0].profile.user_id,
                           meeting_id=third.id, outcome="met", rating=4, note="",
                           now=_at(9, 25))  # fmt: skip
    answers.record_outcome(session, slug=ev.slug, user_id=fourth.seats[0].profile.user_id,
                           meeting_id=fourth.id, outcome="no_show", rating=None, note="",
                           now=_at(9, 25))  # fmt: skip
    session.commit()
    after = live.live_view(session, event=ev, now=_at(9, 30)).slots[0]

    assert (before.state, before.meetings, before.confirmed, before.checked_in) == (
        "to come", 4, 1, 0
    )  # fmt: skip
    assert before.answer_rate == 3 / 8 and before.rating is None
    assert (during.state, during.meetings, during.checked_in, during.seats) == ("on now", 3, 3, 6)
    assert (during.no_shows, during.standby, during.confirmed) == (2, 1, 1)
    assert (after.state, after.no_shows, after.rating) == ("over", 3, 4.0)
    assert after.as_json()["answer_rate"] == 0.375
    assert at_the_table.NO_SHOW_AFTER.total_seconds() == 300

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


def test_the_outcome_report_adds_the_slots_up_and_its_csv_has_a_row_each(session):
    import csv
    import io

    from matchmaker.exports.outcome import HEADER, outcome_csv
    from matchmaker.services.introductions import report

    ev, _ = _event(session)
    first, second, third, fourth = _meetings(session, ev)
    for meeting, outcome, rating in ((first, "met", 5), (second, "met", 3)):
        for seat in meeting.seats:
            answers.record_outcome(session, slug=ev.slug, user_id=seat.profile.user_id,
                                   meeting_id=meeting.id, outcome=outcome, rating=rating,
                                   note="", now=_at(9, 25))  # fmt: skip
    _check_in(session, ev, third.seats[0], _at(8, 58))
    answers.record_outcome(session, slug=ev.slug, user_id=fourth.seats[0].profile.user_id,
                           meeting_id=fourth.id, outcome="no_show", rating=None, note="",
                           now=_at(9, 25))  # fmt: skip
    session.commit()

    found = report.outcome_report(session, event=ev, now=_at(12, 0))
    data = outcome_csv(ev.slug, found.per_slot_rows, found.totals).data.decode()

    # held: the two who met, and the one checked in at the third; the fourth: a no-show
    assert (found.meetings, found.held, found.connections) == (4, 3, 2)
    assert (found.no_shows, found.standby, found.rating) == (2, 0, 4.0)
    rows = list(csv.reader(io.StringIO(data)))
    assert tuple(rows[0]) == HEADER and len(rows) == 3
    assert rows[2][2:6] == ["all slots", "4", "", "3"] and rows[2][-1] == "2"

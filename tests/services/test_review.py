"""The review of a finished run: figures, and why someone has no meeting."""

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.services.people import attendance
from matchmaker.services.planning import matching, review
from tests import factories


def _review(session, ev):
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    run = matching.execute_run(session, run_id=run.id)
    return review.review_run(session, event=ev, run_id=run.id)


def test_the_lonely_are_told_apart_by_why(session):
    # One table and one slot: one meeting; of five people, one marked no free slot.
    ev, people = factories.matchable_event(
        session, people=5, one_to_one_slots=1, group_slots=0, tables=1, rooms=0
    )
    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=people[4].user_id,
        data=attendance.ProfileData(name="Person 4", available_slot_ids=()),
    )

    found = _review(session, ev)

    reasons = {item.profile.name: item.why for item in found.lonely}
    met = {s.profile.name for m in found.meetings for s in m.seats}
    assert len(met) == 2 and len(reasons) == 3
    assert reasons["Person 4"] == "Marked no free slots"
    assert {why for name, why in reasons.items() if name != "Person 4"} == {
        "Every table or room was taken in the slots they are free"
    }
    assert found.per_attendee == {"min": 0, "median": 0, "max": 1}
    assert found.histogram == [(0, 3), (1, 2)]
    assert [(u.meetings, u.seats_used, u.seats) for u in found.slot_use] == [(1, 2, 2)]


def test_the_bound_ratio_is_the_objective_over_the_bound(session):
    ev, _ = factories.matchable_event(session, people=6)

    found = _review(session, ev)

    m = found.run.metrics
    assert found.bound_ratio == m["objective"] / m["upper_bound"]
    assert m["objective"] == pytest.approx(m["score_total"] + m["fairness"])
    assert 0.9 <= found.bound_ratio <= 1.0


def test_a_long_list_of_the_lonely_names_the_first_by_name_and_counts_all(session, monkeypatch):
    monkeypatch.setattr(review, "LONELY_SHOWN", 2)
    ev, _ = factories.matchable_event(
        session, people=5, one_to_one_slots=1, group_slots=0, tables=1, rooms=0
    )

    found = _review(session, ev)

    met = {s.profile.name for m in found.meetings for s in m.seats}
    without = sorted({f"Person {k}" for k in range(5)} - met)
    assert found.lonely_total == 3
    assert [item.profile.name for item in found.lonely] == without[:2]

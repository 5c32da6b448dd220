"""The overview's readiness list and pictures."""

from datetime import UTC, datetime

from matchmaker.services.people import attendance
from matchmaker.services.setup import overview
from tests import factories


def test_a_ready_event_has_no_warning(session):
    ev, _ = factories.matchable_event(session, people=4)

    assert [str(w) for w in overview.readiness(session, event=ev)] == []


def test_readiness_names_each_problem_and_counts_people(session):
    ev, people = factories.matchable_event(session, people=6, group_slots=0, tables=1, rooms=0)
    factories.attendee(session, ev, email="late@example.org")
    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=people[0].user_id,
        data=attendance.ProfileData(name="Person 0", available_slot_ids=()),
    )
    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=people[1].user_id,
        data=attendance.ProfileData(
            name="Person 1", format="group", available_slot_ids=tuple(s.id for s in ev.slots)
        ),
    )

    assert [str(w) for w in overview.readiness(session, event=ev)] == [
        "1 attendee has not filled their profile: matching leaves them out until they do.",
        "1 attendee marked no free slot.",
        "1 attendee wants small groups only, but the event has no group slots.",
        "The tables hold 3 one-to-one meetings, but attendees could take up to 6: "
        "add tables or slots, or expect fewer meetings each.",
    ]


def test_an_empty_event_is_told_to_add_slots_and_locations(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)

    assert [str(w) for w in overview.readiness(session, event=ev)] == [
        "There are no time slots yet: add them before running matching.",
        "There are no tables or rooms yet: add them before running matching.",
    ]


def test_demand_against_supply_and_top_interests(session):
    ev, _ = factories.matchable_event(session, people=4)

    demand = overview.demand_and_supply(session, event=ev)
    interests = overview.top_interests(session, event=ev, limit=3)
    signups = overview.signups_by_day(session, event=ev)

    assert [(d.intent, d.seeks, d.offers) for d in demand] == [
        ("mentorship", 0, 0),
        ("jobs", 0, 0),
        ("knowledge", 4, 0),
        ("collaboration", 0, 4),
        ("business", 0, 0),
    ]
    assert interests == [("data", 2), ("django", 1), ("ml", 1)]
    assert signups == [(datetime.now(UTC).date(), 4)]

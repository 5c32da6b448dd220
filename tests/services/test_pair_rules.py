"""Rules on pairs: one per pair, checked, and kept by every later run."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.models import PairRuleRow
from matchmaker.services.errors import Invalid
from matchmaker.services.people import attendance
from matchmaker.services.planning import matching, pair_rules
from tests import factories


def _set(session, ev, a, b, rule):
    return pair_rules.set_pair_rule(
        session,
        event=ev,
        profile_id=a.id,
        other_id=b.id,
        rule=rule,
    )


def _run(session, ev):
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    return matching.execute_run(session, run_id=run.id)


def _pairs(session, run):
    return {
        frozenset(s.profile_id for s in m.seats)
        for m in matching.run_meetings(session, run_id=run.id)
        if m.kind == "one_to_one"
    }


def test_a_new_rule_on_a_pair_replaces_the_old_one_whatever_the_order(session):
    ev, people = factories.matchable_event(session, people=3)

    _set(session, ev, people[2], people[0], "apart")
    _set(session, ev, people[0], people[2], "met_before")

    rows = session.scalars(sa.select(PairRuleRow)).all()
    assert [(r.first_id, r.second_id, r.rule) for r in rows] == [
        (people[0].id, people[2].id, "met_before")
    ]


def test_a_forbidden_pair_never_meets_in_a_later_run(session):
    ev, people = factories.matchable_event(session, people=4, group_slots=0, rooms=0)
    first = _run(session, ev)
    a, b = sorted(sorted(p) for p in _pairs(session, first))[0]
    _set(session, ev, session.get(type(people[0]), a), session.get(type(people[0]), b), "apart")

    second = _run(session, ev)

    assert frozenset((a, b)) in _pairs(session, first)
    assert frozenset((a, b)) not in _pairs(session, second)
    assert second.rules["apart"] == [[a, b]]


def test_a_pinned_pair_meets(session):
    ev, people = factories.matchable_event(session, people=6, group_slots=0, rooms=0, tables=1)
    first = _run(session, ev)
    unmet = next(
        (a, b)
        for a in people
        for b in people
        if a.id < b.id and frozenset((a.id, b.id)) not in _pairs(session, first)
    )
    _set(session, ev, *unmet, "together")

    second = _run(session, ev)

    assert frozenset(p.id for p in unmet) in _pairs(session, second)


def test_pinning_people_without_a_common_free_slot_is_refused(session):
    ev, people = factories.matchable_event(session, people=2)
    first_slot, second_slot = ev.slots[0].id, ev.slots[1].id
    for person, slot_id in zip(people, (first_slot, second_slot), strict=True):
        attendance.save_profile(
            session,
            slug=ev.slug,
            user_id=person.user_id,
            data=attendance.ProfileData(name=person.name, available_slot_ids=(slot_id,)),
        )

    with pytest.raises(Invalid) as error:
        _set(session, ev, people[0], people[1], "together")

    assert error.value.errors == {
        "other_id": [
            "Person 0 and Person 1 have no free one-to-one slot in common, so they cannot meet."
        ]
    }
    assert session.scalar(sa.select(sa.func.count(PairRuleRow.id))) == 0


def test_a_person_cannot_be_paired_with_themselves_or_someone_elsewhere(session):
    ev, people = factories.matchable_event(session, people=2)
    elsewhere = factories.event(session, ev.organisers[0].user, name="Elsewhere")
    stranger = factories.attendee(session, elsewhere, email="stranger@example.org")

    with pytest.raises(Invalid, match="two different attendees"):
        _set(session, ev, people[0], people[0], "apart")
    with pytest.raises(Invalid, match="an attendee of this event"):
        _set(session, ev, people[0], stranger, "apart")

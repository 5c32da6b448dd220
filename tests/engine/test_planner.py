import itertools
from collections import Counter

import numpy as np
import pytest

from matchmaker.engine.checks import check_plan
from matchmaker.engine.planner import plan_event
from matchmaker.engine.similarity import ProfileModel
from tests.engine.helpers import event, meetings_of, one_to_one_pairs, person


def _plan(ev, people):
    plan = plan_event(ev, people)
    assert check_plan(ev, people, plan) == []
    return plan


def test_meetings_only_in_slots_both_are_free():
    people = [
        person("a", available=frozenset({"s0"})),
        person("b", available=frozenset({"s1"})),
        person("c"),
    ]

    plan = _plan(event(one_to_one=2), people)

    assert one_to_one_pairs(plan) == {frozenset("ac"), frozenset("bc")}
    assert {(m.slot, m.attendees) for m in plan.meetings} == {
        ("s0", ("a", "c")),
        ("s1", ("b", "c")),
    }


def test_nobody_goes_over_their_cap():
    people = [person(f"p{k}") for k in range(6)] + [person("solo", max_meetings=1)]

    plan = _plan(event(one_to_one=4, max_meetings=2), people)

    counts = Counter(p for m in plan.meetings for p in m.attendees)
    assert counts["solo"] == 1
    assert max(counts.values()) == 2


def test_a_pair_meets_once_however_many_slots():
    plan = _plan(event(one_to_one=4, max_meetings=4), [person("a"), person("b")])

    assert len(plan.meetings) == 1


def test_never_more_meetings_in_a_slot_than_tables():
    people = [person(f"p{k}") for k in range(8)]

    plan = _plan(event(one_to_one=2, tables=1, max_meetings=4), people)

    assert Counter(m.slot for m in plan.meetings) == {"s0": 1, "s1": 1}
    assert plan.metrics.upper_bound >= plan.metrics.score_total


def test_groups_only_attendees_get_no_one_to_one():
    people = [person("a"), person("b", format="group"), person("c")]

    plan = _plan(event(one_to_one=2), people)

    assert meetings_of(plan, "b") == []
    assert plan.metrics.attendees_without_meeting == ("b",)


@pytest.mark.parametrize("kind", ["apart", "met_before"])
def test_apart_and_met_before_pairs_never_meet(kind):
    people = [person("a"), person("b")]

    plan = _plan(event(one_to_one=2, **{kind: [("a", "b")]}), people)

    assert plan.meetings == ()


def test_together_pairs_are_placed_first():
    people = [person("a", "py"), person("b", "ml"), person("c", "py"), person("d", "ml")]

    free = _plan(event(one_to_one=1, max_meetings=1), people)
    forced = _plan(event(one_to_one=1, max_meetings=1, together=[("a", "b")]), people)

    assert frozenset("ab") not in one_to_one_pairs(free)
    assert frozenset("ab") in one_to_one_pairs(forced)


def test_a_pinned_pair_is_never_traded_away_for_stronger_meetings():
    # Six people, one table per slot, three slots: the pin (a weak pair) must survive the
    # trades and the covering that make room for stronger or lonelier pairs.
    people = [person(f"p{k}", "py" if k % 2 else "ml") for k in range(6)]
    pinned = ("p0", "p1")

    free = _plan(event(one_to_one=3, tables=1, max_meetings=3), people)
    forced = _plan(event(one_to_one=3, tables=1, max_meetings=3, together=[pinned]), people)

    assert frozenset(pinned) not in one_to_one_pairs(free)
    assert frozenset(pinned) in one_to_one_pairs(forced)


def test_same_input_in_any_order_gives_the_same_plan():
    people = [
        person(f"p{k}", t) for k, t in enumerate(["py", "ml", "py", "web", "db", "ml", "ops", "py"])
    ]
    ev = event(one_to_one=3, group=1, tables=3, rooms=2, group_size=(3, 4), seed=5)

    first = plan_event(ev, people)
    second = plan_event(ev, list(reversed(people)))

    assert first == second  # the seconds each took are kept apart and not compared
    assert first.seconds > 0 and first.to_dict()["metrics"]["seconds"] >= 0


def test_everyone_who_can_meet_gets_at_least_one_meeting():
    people = [person(f"py{k}", "py") for k in range(5)] + [person("loner", "ops", bio="gardening")]

    plan = _plan(event(one_to_one=3, max_meetings=3), people)

    assert plan.metrics.attendees_without_meeting == ()
    assert plan.metrics.one_to_one_per_wanting_attendee["min"] >= 1


def _best_matching(model: ProfileModel, n: int) -> float:
    """Brute force: the best total of a matching (cap 1) over all pairs."""
    best = 0.0
    nodes = list(range(n))

    def search(rest, total):
        nonlocal best
        best = max(best, total)
        if len(rest) < 2:
            return
        first, others = rest[0], rest[1:]
        search(others, total)
        for k, other in enumerate(others):
            w = float(model.pair_scores(np.array([first]), np.array([other]))[0])
            if w > 0:
                search(others[:k] + others[k + 1 :], total + w)

    search(nodes, 0.0)
    return best


@pytest.mark.parametrize("seed", range(8))
def test_small_events_reach_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    topics = ["py", "ml", "web", "db"]
    people = [
        person(
            f"p{k}",
            topics[rng.integers(4)],
            seeks=tuple(rng.choice(["jobs", "mentorship"], 1)),
            offers=("jobs",),
        )
        for k in range(7)
    ]
    ordered = sorted(people, key=lambda a: a.id)

    plan = _plan(event(one_to_one=1, tables=5, max_meetings=1), people)

    optimum = _best_matching(ProfileModel(ordered), len(ordered))
    assert plan.metrics.upper_bound >= optimum - 1e-6
    assert plan.metrics.score_total == pytest.approx(optimum, rel=1e-6)


def test_groups_fit_sizes_and_rooms_and_do_not_repeat():
    people = [person(f"p{k:02d}", ["py", "ml", "web"][k % 3], format="group") for k in range(12)]
    ev = event(one_to_one=0, group=2, tables=0, rooms=3, room_size=4, group_size=(3, 4))

    plan = _plan(ev, people)

    groups = [m for m in plan.meetings if m.kind == "group"]
    assert len(groups) == 6
    assert all(len(g.attendees) == 4 and g.topic for g in groups)
    first, second = ([set(g.attendees) for g in groups if g.slot == s] for s in ("g0", "g1"))
    # The first round sits each topic together: p00, p03, ... all talk about the same thing.
    assert sorted(sorted(g) for g in first) == [
        [f"p{k:02d}" for k in range(start, 12, 3)] for start in range(3)
    ]
    assert plan.metrics.group_similarity_mean > 0
    together_twice = [
        pair
        for g in second
        for pair in itertools.combinations(sorted(g), 2)
        if any(set(pair) <= h for h in first)
    ]
    # Three topics of four people in three tables of four: pigeonhole forces at least 3 repeated
    # pairs; the same groups again would repeat 18.
    assert 3 <= len(together_twice) <= 4


def test_group_places_go_first_to_those_who_asked_for_groups_and_first_timers():
    people = [person(f"any{k}", format="any") for k in range(6)] + [
        person("grp1", format="group"),
        person("grp2", format="group"),
        person("new1", first_time=True),
    ]
    ev = event(one_to_one=0, group=1, tables=0, rooms=1, room_size=3, group_size=(3, 3))

    plan = _plan(ev, people)

    assert [m.attendees for m in plan.meetings] == [("grp1", "grp2", "new1")]


def test_meetings_carry_reasons_and_starters_from_the_profiles():
    people = [
        person("ana", "py", name="Ana", seeks=("mentorship",), interests=("python", "asyncio")),
        person("bob", "py", name="Bob", offers=("mentorship",), interests=("asyncio",)),
    ]

    [meeting] = _plan(event(one_to_one=1), people).meetings

    assert meeting.reasons[0] == "Shared interests: asyncio"
    assert "Bob offers the mentorship Ana seeks" in meeting.reasons
    assert 2 <= len(meeting.starters) <= 3
    assert meeting.starters[0] == "What got each of you into asyncio?"
    assert meeting.topic == "asyncio"


def test_attendee_with_no_common_slot_is_reported_without_meeting():
    people = [person("a", available=frozenset()), person("b"), person("c")]

    plan = _plan(event(one_to_one=2), people)

    assert plan.metrics.attendees_without_meeting == ("a",)


def test_swaps_sort_mixed_tables_into_topics():
    from matchmaker.engine.groups import improve_by_swaps

    # 0-1 and 2-3 are close; the tables start mixed.
    neighbours = [[(0.9, 1)], [(0.9, 0)], [(0.8, 3)], [(0.8, 2)]]
    tables = [[0, 2], [1, 3]]

    swaps = improve_by_swaps(tables, [0, 1, 2, 3], neighbours, met=set(), apart=set())

    assert swaps == 1
    assert sorted(sorted(t) for t in tables) == [[0, 1], [2, 3]]


def test_swaps_never_seat_apart_pairs_together():
    from matchmaker.engine.groups import improve_by_swaps

    neighbours = [[(0.9, 1)], [(0.9, 0)], [(0.8, 3)], [(0.8, 2)]]
    tables = [[0, 2], [1, 3]]

    assert improve_by_swaps(tables, [0, 1, 2, 3], neighbours, met=set(), apart={(0, 1)}) == 0
    assert tables == [[0, 2], [1, 3]]


def test_nobody_meets_the_same_person_twice_when_another_seating_exists():
    # Four topics of four alike people: each meets one of their own one-to-one, and the
    # closest groups would sit each topic together again, twice (8 repeats before the fix).
    topics = ["py", "ml", "web", "db"]
    people = [person(f"p{k:02d}", topics[k % 4], bio=topics[k % 4] * 3) for k in range(16)]
    ev = event(one_to_one=1, group=2, tables=8, rooms=4, room_size=4, group_size=(4, 4))

    plan = _plan(ev, people)

    groups = [m for m in plan.meetings if m.kind == "group"]
    assert len(groups) == 8 and plan.metrics.one_to_one_meetings == 8
    assert plan.metrics.repeated_pairs == 0


def test_a_repeat_happens_only_when_there_is_no_other_seating():
    people = [person(f"p{k}", "py", format="group") for k in range(3)]
    ev = event(one_to_one=0, group=2, tables=0, rooms=1, room_size=3, group_size=(3, 3))

    plan = _plan(ev, people)

    assert [len(m.attendees) for m in plan.meetings] == [3, 3]
    assert plan.metrics.repeated_pairs == 3

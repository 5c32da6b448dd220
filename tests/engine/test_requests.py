"""The one meeting a person asks for: the first common free slot and table, within every rule."""

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine.checks import check_plan
from matchmaker.engine.model import Meeting, Plan
from matchmaker.engine.refill import open_for_one_to_one, propose_meeting
from matchmaker.engine.similarity import ProfileModel
from tests.engine.helpers import event, person


def _one(slot, table, a, b):
    return Meeting(slot=slot, location=table, attendees=(a, b), kind="one_to_one", score=0.1)


def _propose(ev, people, plan, pair, seen=frozenset()):
    slots = [s.id for s in ev.slots if s.format == "one_to_one"]
    by_slot = {s: [m for m in plan if m.slot == s] for s in slots}
    everyone = {s: {a.id for a in open_for_one_to_one(ev, people, plan, s)} for s in slots}
    by_id = {a.id: a for a in people}
    return propose_meeting(
        ev, (by_id[pair[0]], by_id[pair[1]]), slots, everyone, by_slot, set(seen),
        ProfileModel(people),
    )  # fmt: skip


def test_the_first_slot_both_are_free_at_a_free_table():
    ev = event(one_to_one=3, tables=1)
    people = [
        person("a", "py"),
        person("b", "ml", available=frozenset({"s1", "s2"})),  # not free in s0
        person("c", "py"),
        person("d", "web"),
    ]
    plan = [_one("s1", "T00", "c", "d")]  # s1's only table is taken

    made = _propose(ev, people, plan, ("b", "a"))

    assert (made.slot, made.location, made.attendees) == ("s2", "T00", ("a", "b"))
    assert made.kind == "one_to_one" and made.reasons and made.starters
    assert check_plan(ev, people, Plan((*plan, made))) == []


def test_no_meeting_when_a_rule_says_no():
    ev = event(one_to_one=2, tables=2, max_meetings=1, apart=[("a", "e")])
    people = [person(x, "py") for x in "abcdef"] + [person("g", "py", format="group")]
    plan = [_one("s0", "T00", "c", "d")]  # c and d are at their cap of 1

    assert _propose(ev, people, plan, ("a", "e")) is None  # must not meet
    assert _propose(ev, people, plan, ("a", "c")) is None  # c is at the cap
    assert _propose(ev, people, plan, ("a", "g")) is None  # g wants groups only
    assert _propose(ev, people, plan, ("a", "b"), seen={frozenset("ab")}) is None  # met
    assert _propose(ev, people, plan, ("a", "a")) is None
    assert _propose(ev, people, plan, ("a", "b")).slot == "s0"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 2)), max_size=8),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_a_proposal_never_breaks_the_checker(pairs, asker, asked):
    ev = event(one_to_one=3, tables=2, max_meetings=2)
    people = [person(f"p{k}", "py" if k % 2 else "ml") for k in range(6)]
    plan: list[Meeting] = []
    for a, b, s in pairs:
        candidate = _one(f"s{s}", f"T0{len([m for m in plan if m.slot == f's{s}'])}", f"p{a}",
                         f"p{b}")  # fmt: skip
        if a != b and not check_plan(ev, people, Plan((*plan, candidate))):
            plan.append(candidate)

    made = _propose(ev, people, plan, (f"p{asker}", f"p{asked}"))

    if made is not None:
        assert check_plan(ev, people, Plan((*plan, made))) == []


def test_a_plan_leaves_the_kept_tables_free_for_requests():
    import dataclasses

    from matchmaker.engine.planner import plan_event

    ev = dataclasses.replace(event(one_to_one=2, tables=3), tables_kept_free=1)
    people = [person(f"p{k}", "py" if k % 2 else "ml") for k in range(8)]

    plan = list(plan_event(ev, people).meetings)

    used = {(m.slot, m.location) for m in plan}
    assert {location for _, location in used} == {"T00", "T01"}  # T02 is kept
    assert len(used) == 4  # both slots full but for the kept table
    busy = {p for m in plan if m.slot == "s0" for p in m.attendees}
    free = [p.id for p in people if p.id not in busy]
    met = {frozenset(m.attendees) for m in plan}
    pair = next((a, b) for a in free for b in free if a < b and frozenset((a, b)) not in met)
    asked = _propose(ev, people, plan, pair)
    assert (asked.slot, asked.location) == ("s0", "T02")
    assert check_plan(ev, people, Plan((*plan, asked))) == []


def test_the_kept_tables_are_the_last_by_their_numbers():
    import dataclasses

    from matchmaker.engine.model import Location
    from matchmaker.engine.planner import one_to_one_frame

    base = event(one_to_one=1, tables=0)
    ev = dataclasses.replace(
        base, locations=tuple(Location(f"L{k}", 2) for k in (1, 2, 9, 10, 11)), tables_kept_free=2
    )

    *_, tables = one_to_one_frame(ev, [])
    *_, none_left = one_to_one_frame(dataclasses.replace(ev, tables_kept_free=9), [])

    assert sorted(tables) == ["L1", "L2", "L9"] and none_left == []


def test_a_plan_leaves_room_under_each_cap_when_asked_to():
    import dataclasses
    from collections import Counter

    from matchmaker.engine.planner import plan_event

    ev = dataclasses.replace(event(one_to_one=3, tables=4, max_meetings=3), meetings_kept_free=1)
    people = [person(f"p{k}", "py" if k % 2 else "ml") for k in range(6)]

    plan = list(plan_event(ev, people).meetings)

    count = Counter(p for m in plan for p in m.attendees)
    assert max(count.values()) == 2  # 3 allowed, 1 kept for requests
    free = [p.id for p in people if count[p.id] < 3]
    met = {frozenset(m.attendees) for m in plan}
    pair = next((a, b) for a in free for b in free if a < b and frozenset((a, b)) not in met)
    asked = _propose(ev, people, plan, pair)
    assert asked is not None and check_plan(ev, people, Plan((*plan, asked))) == []

"""Another time for a one-to-one: the slots where both are free and a table is, and a move to
any of them never breaks the checker."""

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine.checks import check_plan
from matchmaker.engine.model import Meeting, Plan
from matchmaker.engine.refill import times_to_move
from tests.engine.helpers import event, person


def _one(slot, table, a, b):
    return Meeting(slot=slot, location=table, attendees=(a, b), kind="one_to_one", score=0.1)


def _moved(meeting, slot, table):
    return _one(slot, table, *meeting.attendees)


def test_the_slots_both_are_free_with_their_own_table_when_it_is_free():
    ev = event(one_to_one=4, tables=2, group=1)
    people = [
        person("a", "py"),
        person("b", "py", available=frozenset({"s0", "s1", "s3", "g0"})),  # not free in s2
        person("c", "ml"),
        person("d", "ml"),
    ]
    ours = _one("s0", "T01", "a", "b")
    others = [
        _one("s1", "T00", "a", "c"),  # a is busy in s1
        _one("s3", "T01", "c", "d"),  # their table is taken in s3, T00 is not
    ]

    times = times_to_move(ev, ours, people, others, ["s0", "s1", "s2", "s3", "g0"])

    # s0 is its own slot, s1 a is busy, s2 b is away, g0 is for groups
    assert times == [("s3", "T00")]


def test_their_own_table_is_kept_and_no_time_without_a_free_table():
    ev = event(one_to_one=3, tables=1)
    people = [person(x, "py") for x in "abcd"]
    ours = _one("s0", "T00", "a", "b")
    others = [_one("s1", "T00", "c", "d")]

    assert times_to_move(ev, ours, people, others, ["s1", "s2"]) == [("s2", "T00")]


def test_a_group_meeting_or_a_stranger_has_no_other_time():
    ev = event(one_to_one=2, tables=2)
    people = [person("a", "py")]
    ours = _one("s0", "T00", "a", "b")  # b is not among the people read

    assert times_to_move(ev, ours, people, [], ["s1"]) == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 3)), max_size=10),
    st.integers(0, 9),
)
def test_a_move_to_any_time_offered_never_breaks_the_checker(pairs, which):
    ev = event(one_to_one=4, tables=2, max_meetings=3)
    people = [
        person(f"p{k}", "py", available=frozenset({"s0", "s1", "s2", "s3"} - {f"s{k % 4}"}))
        if k % 3 == 0
        else person(f"p{k}", "ml")
        for k in range(6)
    ]
    plan: list[Meeting] = []
    for a, b, s in pairs:
        used = {m.location for m in plan if m.slot == f"s{s}"}
        table = next((t for t in ("T00", "T01") if t not in used), "T00")
        candidate = _one(f"s{s}", table, f"p{a}", f"p{b}")
        if a != b and not check_plan(ev, people, Plan((*plan, candidate))):
            plan.append(candidate)
    if not plan:
        return
    ours = plan[which % len(plan)]
    others = [m for m in plan if m is not ours]

    for slot, table in times_to_move(ev, ours, people, others, [s.id for s in ev.slots]):
        assert check_plan(ev, people, Plan((*others, _moved(ours, slot, table)))) == []


def test_a_standby_pick_is_the_best_match_free_within_every_rule():
    from matchmaker.engine.refill import standby_pick
    from matchmaker.engine.similarity import ProfileModel

    ev = event(one_to_one=2, tables=2, max_meetings=2, apart=[("a", "e")])
    people = [
        person("a", "py"),
        person("b", "ml"),
        person("c", "py"),  # the best match, but met a already
        person("d", "py", format="group"),  # groups only
        person("e", "py"),  # must not meet a
        person("f", "py"),  # at the cap
        person("g", "py"),
    ]
    model = ProfileModel(people)
    seen = {frozenset("ac")}

    made = standby_pick(ev, people[0], people[1:], "s0", "T01", seen, {"f": 2}, model)

    assert (made.slot, made.location, set(made.attendees)) == ("s0", "T01", {"a", "g"})
    assert made.reasons and made.starters
    assert standby_pick(ev, people[0], people[1:], "s0", "T01", seen, {"a": 2}, model) is None
    assert standby_pick(ev, people[0], [people[2], people[4]], "s0", "T01", seen, {},
                        model) is None  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 1)), max_size=10),
    st.integers(0, 7),
)
def test_a_standby_pick_never_breaks_the_checker(pairs, who):
    from collections import Counter

    from matchmaker.engine.refill import free_tables, standby_pick
    from matchmaker.engine.similarity import ProfileModel

    ev = event(one_to_one=2, tables=3, max_meetings=1, apart=[("p0", "p1"), ("p2", "p5")])
    people = [person(f"p{k}", "py" if k % 2 else "ml",
                     format="group" if k == 7 else "any") for k in range(8)]  # fmt: skip
    plan: list[Meeting] = []
    for a, b, s in pairs:
        used = {m.location for m in plan if m.slot == f"s{s}"}
        table = next((t for t in ("T00", "T01", "T02") if t not in used), "T00")
        candidate = _one(f"s{s}", table, f"p{a}", f"p{b}")
        if a != b and not check_plan(ev, people, Plan((*plan, candidate))):
            plan.append(candidate)
    seeker = people[who]
    busy = {p for m in plan if m.slot == "s0" for p in m.attendees}
    if seeker.id in busy or not free_tables(ev, plan, "s0"):
        return
    counts = Counter(p for m in plan for p in m.attendees)
    seen = {frozenset(m.attendees) for m in plan}
    free = [a for a in people if a.id not in busy]
    table = free_tables(ev, plan, "s0")[0]

    made = standby_pick(ev, seeker, free, "s0", table, seen, dict(counts), ProfileModel(people))

    if made is not None:
        assert check_plan(ev, people, Plan((*plan, made))) == []

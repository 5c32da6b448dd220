import random

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine.checks import check_plan
from matchmaker.engine.model import Meeting, Plan
from matchmaker.engine.planner import plan_event
from matchmaker.engine.refill import free_tables, refill_slot
from tests.engine.helpers import event, person


def _one(slot, table, a, b):
    return Meeting(slot=slot, location=table, attendees=(a, b), kind="one_to_one", score=0.1)


def test_the_freed_person_gets_the_best_free_match_at_a_free_table():
    ev = event(one_to_one=1, tables=3)
    people = [person("a", "py"), person("b", "ml"), person("c", "py"), person("d", "web")]
    taking_place = [_one("s0", "T01", "c", "d")]  # c and d are busy; a and b were freed

    made = refill_slot(ev, people, taking_place, "s0", ["a", "b"], seen={frozenset("ab")})

    assert made == ()  # a and b may not meet again, and nobody else is free


def test_a_freed_pair_is_offered_the_free_people_of_their_topic():
    ev = event(one_to_one=1, tables=3)
    people = [person(x, t) for x, t in [("a", "py"), ("b", "ml"), ("c", "ml"), ("d", "py")]]

    made = refill_slot(ev, people, [], "s0", ["a", "b"], seen={frozenset("ab")})

    assert sorted(m.attendees for m in made) == [("a", "d"), ("b", "c")]
    assert [m.location for m in made] == ["T00", "T01"]
    assert made[0].score >= made[1].score  # best match first, at the first free table
    assert all(m.reasons and m.starters and m.kind == "one_to_one" for m in made)


def test_rules_hold_caps_availability_formats_forbidden_pairs_and_tables():
    ev = event(one_to_one=2, tables=2, max_meetings=1, apart=[("a", "e")])
    people = [
        person("a", "py"),
        person("b", "py", available=frozenset({"s1"})),  # not free in s0
        person("c", "py", format="group"),  # groups only
        person("d", "py"),  # at its cap (one meeting in s1)
        person("e", "py"),  # must not meet a
        person("f", "py"),
        person("g", "ml"),
    ]
    plan = [_one("s1", "T00", "d", "g")]

    made = refill_slot(ev, people, plan, "s0", ["a"], seen=set())

    assert [m.attendees for m in made] == [("a", "f")]


def test_no_free_table_means_no_refill():
    ev = event(one_to_one=1, tables=1)
    people = [person("a"), person("b"), person("c"), person("d")]

    made = refill_slot(ev, people, [_one("s0", "T00", "c", "d")], "s0", ["a"], seen=set())

    assert made == ()
    assert free_tables(ev, [_one("s0", "T00", "c", "d")], "s0") == []


def test_the_same_inputs_give_the_same_refill():
    ev = event(one_to_one=1, tables=4)
    people = [person(f"p{k}", t) for k, t in enumerate(["py", "ml", "py", "ml", "web", "db"])]

    first = refill_slot(ev, people, [], "s0", ["p0", "p1"], seen={frozenset(("p0", "p1"))})
    second = refill_slot(ev, people, [], "s0", ["p0", "p1"], seen={frozenset(("p0", "p1"))})

    assert first == second and len(first) == 2


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), declines=st.integers(1, 12))
def test_a_plan_keeps_every_rule_after_any_declines_and_their_refills(seed, declines):
    rng = random.Random(seed)
    topics = ["py", "ml", "web", "db", "ops"]
    ev = event(one_to_one=3, tables=4, max_meetings=2, apart=[("p0", "p1"), ("p2", "p5")])
    people = [
        person(
            f"p{k}",
            rng.choice(topics),
            available=frozenset(rng.sample(["s0", "s1", "s2"], rng.randint(1, 3))),
            format=rng.choice(["any", "any", "one_to_one", "group"]),
        )
        for k in range(14)
    ]
    meetings = list(plan_event(ev, people).meetings)
    seen = {frozenset(m.attendees) for m in meetings}
    for _ in range(declines):
        ones = [m for m in meetings if m.kind == "one_to_one"]
        if not ones:
            break
        declined = rng.choice(ones)
        meetings.remove(declined)
        made = refill_slot(ev, people, meetings, declined.slot, list(declined.attendees), seen)
        for m in made:
            assert frozenset(m.attendees) not in seen
            seen.add(frozenset(m.attendees))
        meetings += made
        assert check_plan(ev, people, Plan(tuple(meetings))) == []

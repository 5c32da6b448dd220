"""Plans that change: fixed meetings, the previous plan, fairness and what changed."""

import dataclasses
import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.engine import fairness
from matchmaker.engine.checks import check_plan
from matchmaker.engine.cli import main
from matchmaker.engine.inputs import InputError, check_references
from matchmaker.engine.model import Constraints, Placement
from matchmaker.engine.pairs import CandidateGraph, solve_integer, solve_relaxation
from matchmaker.engine.planner import plan_event
from tests.engine.helpers import event, one_to_one_pairs, person
from tests.engine.test_cli import EVENT, PEOPLE
from tests.engine.test_properties import events_and_people


def _with(ev, **constraints):
    return dataclasses.replace(ev, constraints=dataclasses.replace(ev.constraints, **constraints))


def _placements(meetings):
    return tuple(Placement(m.slot, m.location, m.attendees) for m in meetings)


def _where(plan):
    return {(m.slot, m.location, frozenset(m.attendees)) for m in plan.meetings}


PEOPLE_OF_TWO_TOPICS = [person(f"p{k}", ["py", "ml"][k % 2]) for k in range(8)]


def test_fixed_meetings_stay_exactly_and_count_toward_caps_and_tables():
    ev = event(one_to_one=2, tables=2, max_meetings=1)
    fixed = (Placement("s1", "T01", ("p0", "p5")),)  # a weak pair (python with ml)

    plan = plan_event(_with(ev, fixed=fixed), PEOPLE_OF_TWO_TOPICS)

    assert check_plan(_with(ev, fixed=fixed), PEOPLE_OF_TWO_TOPICS, plan) == []
    assert ("s1", "T01", frozenset({"p0", "p5"})) in _where(plan)
    # Caps of 1: p0 and p5 meet nobody else; the slot keeps one table for others.
    assert sum("p0" in m.attendees or "p5" in m.attendees for m in plan.meetings) == 1
    assert sum(m.slot == "s1" for m in plan.meetings) == 2
    assert plan.metrics.fixed == 1
    assert plan.metrics.score_ratio <= 1.0 + 1e-9


def test_a_fixed_group_keeps_its_room_and_people():
    people = [person(f"p{k}", format="group") for k in range(9)]
    ev = event(one_to_one=0, group=1, tables=0, rooms=3, room_size=4, group_size=(3, 4))
    fixed = (Placement("g0", "R02", ("p0", "p4", "p8")),)

    plan = plan_event(_with(ev, fixed=fixed), people)

    assert ("g0", "R02", frozenset({"p0", "p4", "p8"})) in _where(plan)
    others = [m for m in plan.meetings if m.location != "R02"]
    assert {p for m in others for p in m.attendees} == {f"p{k}" for k in (1, 2, 3, 5, 6, 7)}


@pytest.mark.parametrize(
    "fixed,message",
    [
        (Placement("s9", "T00", ("p0", "p1")), "constraints.fixed[1]: unknown slot 's9'"),
        (Placement("s0", "X", ("p0", "p1")), "constraints.fixed[1]: unknown location 'X'"),
        (Placement("s0", "T01", ("p0", "zz")), "constraints.fixed[1]: unknown attendee 'zz'"),
        (
            Placement("s0", "T01", ("p2", "p3", "p4")),
            "constraints.fixed[1]: 3 people at T01 (seats 2)",
        ),
        (
            Placement("s0", "T01", ("p1", "p2")),
            "constraints.fixed[1]: p1 is double-booked in slot s0 (constraints.fixed[0])",
        ),
        (
            Placement("s0", "T00", ("p2", "p3")),
            "constraints.fixed[1]: T00 is double-booked in slot s0 (constraints.fixed[0])",
        ),
        (
            Placement("s1", "T00", ("p0", "p1")),
            "constraints.fixed[1]: the pair meets already (constraints.fixed[0])",
        ),
    ],
)
def test_a_fixed_meeting_that_breaks_a_rule_is_named(fixed, message):
    ev = _with(event(one_to_one=2), fixed=(Placement("s0", "T00", ("p0", "p1")), fixed))

    with pytest.raises(InputError) as caught:
        check_references(ev, PEOPLE_OF_TWO_TOPICS)

    assert str(caught.value) == f"event: {message}"


def test_a_fixed_pair_kept_apart_or_over_a_cap_is_refused():
    apart = _with(
        event(one_to_one=2, apart=[("p0", "p1")]), fixed=(Placement("s0", "T00", ("p0", "p1")),)
    )
    capped = _with(
        event(one_to_one=2, max_meetings=1),
        fixed=(Placement("s0", "T00", ("p0", "p1")), Placement("s1", "T00", ("p0", "p2"))),
    )

    with pytest.raises(InputError, match=r"fixed\[0\]: p0 and p1 must not meet"):
        check_references(apart, PEOPLE_OF_TWO_TOPICS)
    with pytest.raises(InputError, match=r"fixed\[1\]: p0 would have more than 1 one-to-one"):
        check_references(capped, PEOPLE_OF_TWO_TOPICS)


def test_the_command_line_exits_2_naming_a_broken_fixed_meeting(tmp_path, capsys):
    data = json.loads(json.dumps(EVENT))
    data["constraints"]["fixed"] = [{"slot": "s1", "location": "T1", "attendees": ["cy", "zz"]}]
    (tmp_path / "event.json").write_text(json.dumps(data))
    (tmp_path / "people.jsonl").write_text("\n".join(json.dumps(p) for p in PEOPLE))

    code = main(
        ["plan", str(tmp_path / "event.json"), str(tmp_path / "people.jsonl"), "-o",
         str(tmp_path / "plan.json")]
    )  # fmt: skip

    assert code == 2
    assert "constraints.fixed[0]: unknown attendee 'zz'" in capsys.readouterr().err
    assert not (tmp_path / "plan.json").exists()


def test_the_command_line_replans_against_a_previous_plan(tmp_path, capsys):
    (tmp_path / "event.json").write_text(json.dumps(EVENT))
    (tmp_path / "people.jsonl").write_text("\n".join(json.dumps(p) for p in PEOPLE))
    args = [str(tmp_path / "event.json"), str(tmp_path / "people.jsonl")]
    assert main(["plan", *args, "-o", str(tmp_path / "first.json")]) == 0
    capsys.readouterr()

    code = main(
        ["plan", *args, "-o", str(tmp_path / "again.json"), "--previous",
         str(tmp_path / "first.json")]
    )  # fmt: skip

    first = json.loads((tmp_path / "first.json").read_text())
    again = json.loads((tmp_path / "again.json").read_text())
    assert code == 0
    assert again["meetings"] == first["meetings"]
    m = again["metrics"]
    assert (m["kept"], m["moved"], m["dropped"], m["added"], m["people_changed"]) == (
        len(first["meetings"]), 0, 0, 0, 0,
    )  # fmt: skip
    assert "against the previous plan: " in capsys.readouterr().out


def test_a_previous_plan_that_is_not_a_plan_exits_2(tmp_path, capsys):
    (tmp_path / "event.json").write_text(json.dumps(EVENT))
    (tmp_path / "people.jsonl").write_text("\n".join(json.dumps(p) for p in PEOPLE))
    (tmp_path / "old.json").write_text(json.dumps({"meetings": [{"slot": "s1"}]}))

    code = main(
        ["plan", str(tmp_path / "event.json"), str(tmp_path / "people.jsonl"), "-o",
         str(tmp_path / "plan.json"), "--previous", str(tmp_path / "old.json")]
    )  # fmt: skip

    assert code == 2
    assert "old.json: meetings[0]: field 'location' is missing" in capsys.readouterr().err


def test_a_replan_keeps_what_still_fits_and_counts_what_changed():
    people = [person(f"p{k}", ["py", "ml", "web"][k % 3]) for k in range(12)]
    ev = event(one_to_one=3, tables=6, max_meetings=3)
    first = plan_event(ev, people)
    gone = next(m for m in first.meetings)  # declined: kept apart from now on

    again = plan_event(
        _with(ev, apart=(tuple(gone.attendees),)), people, previous=_placements(first.meetings)
    )

    assert frozenset(gone.attendees) not in one_to_one_pairs(again)
    unchanged = _where(first) - {(gone.slot, gone.location, frozenset(gone.attendees))}
    assert len(unchanged & _where(again)) >= len(unchanged) - 2
    m = again.metrics
    assert m.dropped >= 1 and m.kept + m.moved + m.dropped == len(first.meetings)
    assert m.kept + m.moved + m.added == len(again.meetings)
    assert m.people_changed <= 6
    assert check_plan(_with(ev, apart=(tuple(gone.attendees),)), people, again) == []


def test_a_late_joiner_is_placed_without_reshuffling_the_rest():
    people = [person(f"p{k}", ["py", "ml"][k % 2]) for k in range(8)]
    ev = event(one_to_one=3, tables=5, max_meetings=2)
    first = plan_event(ev, people)
    late = person("zz", "py")

    again = plan_event(ev, people + [late], previous=_placements(first.meetings))

    assert any("zz" in m.attendees for m in again.meetings)
    assert again.metrics.kept >= len(first.meetings) - 2


def test_the_fairness_bonus_spreads_meetings():
    # Two meetings fit. Without the bonus p0 meets both 1 and 2 (1.0 against 0.95);
    # with it, four people get a first meeting instead of three.
    graph = CandidateGraph(5, np.array([0, 0, 3]), np.array([1, 2, 4]), np.array([0.5, 0.5, 0.45]))
    caps = np.full(5, 2)
    none = fairness.bonus_table(caps, np.zeros(5, dtype=int)) * 0
    bonus = fairness.bonus_table(caps, np.zeros(5, dtype=int))

    assert sorted(solve_integer(graph, caps, total=2, bonus=none)) == [0, 1]
    assert sorted(solve_integer(graph, caps, total=2, bonus=bonus)) == [0, 2] or sorted(
        solve_integer(graph, caps, total=2, bonus=bonus)
    ) == [1, 2]
    relaxation = solve_relaxation(graph, caps, 2, bonus)
    assert relaxation.value == pytest.approx(0.95 + 4 * fairness.BONUS[0])


@pytest.mark.parametrize("seed", range(10))
def test_the_bound_with_fairness_bonuses_holds_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 6
    edges = [(a, b, float(rng.uniform(0.05, 0.6))) for a, b in itertools.combinations(range(n), 2)
             if rng.random() < 0.6]  # fmt: skip
    caps = rng.integers(1, 4, size=n)
    already = rng.integers(0, 2, size=n)
    caps = np.maximum(caps, already)
    total = int(rng.integers(1, 6))
    bonus = fairness.bonus_table(caps, already)
    graph = CandidateGraph(n, *(np.array(c) for c in zip(*edges, strict=True)))
    best = 0.0
    for r in range(min(len(edges), total) + 1):
        for subset in itertools.combinations(edges, r):
            degree = np.zeros(n, dtype=int)
            for a, b, _ in subset:
                degree[[a, b]] += 1
            if (degree <= caps - already).all():
                value = sum(w for *_, w in subset) + sum(
                    bonus[p, : degree[p]].sum() for p in range(n)
                )
                best = max(best, value)

    relaxation = solve_relaxation(graph, caps - already, total, bonus)
    chosen = solve_integer(graph, caps - already, total, bonus=bonus)

    assert relaxation.value >= best - 1e-7
    degree = np.zeros(n, dtype=int)
    for e in chosen:
        degree[[graph.u[e], graph.v[e]]] += 1
    found = graph.w[chosen].sum() + sum(bonus[p, : degree[p]].sum() for p in range(n))
    assert found == pytest.approx(best, abs=1e-6)


def test_meetings_are_shared_evenly_when_scores_are_close():
    # 12 meetings for 8 people of one topic: without the bonus any split of the 24 places
    # scores about the same; with it everyone gets 3.
    people = [person(f"a{k}", "py") for k in range(8)]
    ev = event(one_to_one=4, tables=3, max_meetings=4)

    plan = plan_event(ev, people)

    assert plan.metrics.one_to_one_distribution == {"3": 8}
    assert plan.metrics.one_to_one_gini == 0.0
    assert plan.metrics.fairness == pytest.approx(8 * sum(fairness.BONUS))


@st.composite
def replans(draw):
    ev, people = draw(events_and_people())
    ev = _with(ev, together=())
    first = plan_event(ev, people)
    chosen = draw(st.lists(st.sampled_from(list(first.meetings) or [None]), unique=True))
    fixed = tuple(Placement(m.slot, m.location, m.attendees) for m in chosen if m is not None)
    # A decline comes from a one-to-one not kept, whose pair shares no kept meeting (a pair
    # that declined cannot also be kept together at a group table: that set is not valid).
    kept_together = [set(m.attendees) for m in chosen if m is not None]
    ones = [
        m
        for m in first.meetings
        if m.kind == "one_to_one"
        and m not in chosen
        and not any(set(m.attendees) <= members for members in kept_together)
    ]
    declined = draw(st.lists(st.sampled_from(ones or [None]), unique=True, max_size=3))
    apart = ev.constraints.apart + tuple(tuple(m.attendees) for m in declined if m is not None)
    # People who join late: some of them left out of the first plan.
    return _with(ev, fixed=fixed, apart=apart), people, first


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replans())
def test_any_valid_fixed_set_stays_and_no_declined_pair_meets(case):
    ev, people, first = case
    check_references(ev, people)

    again = plan_event(ev, people, previous=_placements(first.meetings))

    assert check_plan(ev, people, again) == []
    where = _where(again)
    for m in ev.constraints.fixed:
        assert (m.slot, m.location, frozenset(m.attendees)) in where
    pairs = one_to_one_pairs(again)
    assert not any(frozenset(p) in pairs for p in ev.constraints.apart)
    assert again.metrics.objective <= again.metrics.upper_bound + 1e-6
    assert again == plan_event(ev, people[::-1], previous=_placements(first.meetings))


def test_constraints_default_to_no_fixed_meetings():
    assert Constraints().fixed == ()


def test_what_a_replan_changes_is_counted_per_meeting_and_per_person():
    from matchmaker.engine.continuity import compare
    from matchmaker.engine.model import Meeting

    def meeting(slot, location, *people):
        kind = "group" if len(people) > 2 else "one_to_one"
        return Meeting(slot, location, tuple(people), kind, 0.0)

    before = [
        Placement("s0", "T1", ("a", "b")),
        Placement("s0", "T2", ("c", "d")),
        Placement("s1", "T1", ("e", "f")),
        Placement("g0", "R1", ("g", "h", "i", "j")),
    ]
    after = [
        meeting("s0", "T1", "a", "b"),  # kept
        meeting("s1", "T3", "c", "d"),  # moved to another time and table
        meeting("s1", "T1", "x", "y"),  # new, at the table e and f had
        meeting("g0", "R1", "g", "h", "i"),  # the same table, j left: kept
    ]

    assert compare(before, after) == {
        "kept": 2, "moved": 1, "dropped": 1, "added": 1, "people_changed": 7,
    }  # fmt: skip

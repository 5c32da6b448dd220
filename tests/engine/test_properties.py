"""Random small events and profiles: every plan passes the checker and stays under its bound."""

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.engine.checks import check_plan
from matchmaker.engine.model import Attendee, Constraints, Event, Location, Slot
from matchmaker.engine.planner import plan_event


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


WORDS = ["python", "rust", "data", "web", "cloud", "security", "design", "ml", "music", "sql"]
INTENTS = ["mentorship", "jobs", "knowledge", "collaboration", "business"]


@st.composite
def events_and_people(draw):
    n_one, n_group = draw(st.integers(0, 3)), draw(st.integers(0, 2))
    slots = [
        Slot(
            f"s{k}",
            _at(f"2030-01-01T{9 + k:02d}:00+00:00"),
            _at(f"2030-01-01T{9 + k:02d}:20+00:00"),
            "one_to_one",
        )
        for k in range(n_one)
    ]
    slots += [
        Slot(
            f"g{k}",
            _at(f"2030-01-02T{9 + k:02d}:00+00:00"),
            _at(f"2030-01-02T{9 + k:02d}:40+00:00"),
            "group",
        )
        for k in range(n_group)
    ]
    if not slots:
        slots = [
            Slot("s0", _at("2030-01-01T09:00+00:00"), _at("2030-01-01T09:20+00:00"), "one_to_one")
        ]
    smallest = draw(st.integers(2, 4))
    size = (smallest, draw(st.integers(smallest, 5)))
    locations = [Location(f"T{k}", 2) for k in range(draw(st.integers(0, 4)))]
    locations += [
        Location(f"R{k}", draw(st.integers(2, 6))) for k in range(draw(st.integers(0, 3)))
    ]
    n = draw(st.integers(0, 12))
    ids = [f"p{k:02d}" for k in range(n)]
    slot_ids = [s.id for s in slots]
    people = [
        Attendee(
            id=ident,
            company=draw(st.sampled_from(["", "acme", "globex"])),
            bio=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))),
            interests=tuple(draw(st.lists(st.sampled_from(WORDS), max_size=3, unique=True))),
            seeks=tuple(draw(st.lists(st.sampled_from(INTENTS), max_size=2, unique=True))),
            offers=tuple(draw(st.lists(st.sampled_from(INTENTS), max_size=2, unique=True))),
            format=draw(st.sampled_from(["one_to_one", "group", "any"])),
            available=draw(st.none() | st.frozensets(st.sampled_from(slot_ids))),
            max_meetings=draw(st.none() | st.integers(0, 3)),
            first_time=draw(st.booleans()),
        )
        for ident in ids
    ]
    limit = 3 if n >= 2 else 0
    pairs = st.tuples(st.sampled_from(ids or ["x"]), st.sampled_from(ids or ["x"])).filter(
        lambda p: p[0] != p[1]
    )
    constraints = Constraints(
        together=tuple(draw(st.lists(pairs, max_size=min(2, limit)))),
        apart=tuple(draw(st.lists(pairs, max_size=limit))),
        met_before=tuple(draw(st.lists(pairs, max_size=limit))),
    )
    event = Event(
        slots=tuple(slots),
        locations=tuple(locations),
        max_meetings=draw(st.integers(0, 3)),
        group_size=size,
        seed=draw(st.integers(0, 5)),
        constraints=constraints,
    )
    return event, people


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events_and_people())
def test_every_plan_passes_the_checker(case):
    event, people = case

    plan = plan_event(event, people)

    assert check_plan(event, people, plan) == []
    assert plan.metrics.score_total <= plan.metrics.upper_bound + 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events_and_people())
def test_plans_are_deterministic(case):
    event, people = case

    assert plan_event(event, people) == plan_event(event, people[::-1])

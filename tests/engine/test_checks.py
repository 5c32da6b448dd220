import pytest

from matchmaker.engine.checks import check_plan
from tests.engine.helpers import event, person

PEOPLE = [
    person("a"),
    person("b"),
    person("c", available=frozenset({"s0"})),
    person("g", format="group"),
    person("o", format="one_to_one"),
    person("d"),
]


def _meeting(slot, location, *attendees, kind="one_to_one"):
    return {
        "slot": slot,
        "location": location,
        "attendees": list(attendees),
        "kind": kind,
        "score": 0.1,
    }


def _check(*meetings, ev=None, people=PEOPLE):
    ev = ev or event(
        one_to_one=2,
        group=1,
        tables=3,
        rooms=1,
        room_size=3,
        max_meetings=1,
        group_size=(3, 3),
        apart=[("a", "d")],
        met_before=[("b", "d")],
    )
    return check_plan(ev, people, {"meetings": list(meetings)})


def test_a_good_plan_has_no_violations():
    assert (
        _check(_meeting("s0", "T00", "a", "b"), _meeting("g0", "R00", "a", "b", "g", kind="group"))
        == []
    )


@pytest.mark.parametrize(
    "meetings,problem",
    [
        ([_meeting("s9", "T00", "a", "b")], "meeting 0: unknown slot 's9'"),
        ([_meeting("s0", "T99", "a", "b")], "meeting 0: unknown location 'T99'"),
        ([_meeting("s0", "T00", "a", "zz")], "meeting 0: unknown attendee 'zz'"),
        ([_meeting("s0", "T00", "a", "b", "o")], "meeting 0: 3 people at T00 (seats 2)"),
        ([_meeting("s0", "R00", "a")], "meeting 0: a one-to-one meeting of 1 people"),
        (
            [_meeting("s0", "T00", "a", "b"), _meeting("s0", "T01", "a", "o")],
            "meeting 1: a is double-booked in slot s0 (meeting 0)",
        ),
        (
            [_meeting("s0", "T00", "a", "b"), _meeting("s0", "T00", "o", "c")],
            "meeting 1: T00 is double-booked in slot s0 (meeting 0)",
        ),
        ([_meeting("s1", "T00", "c", "o")], "meeting 0: c is not available in slot s1"),
        ([_meeting("s0", "T00", "a", "g")], "meeting 0: g asked for groups only"),
        (
            [_meeting("g0", "R00", "a", "b", "o", kind="group")],
            "meeting 0: o asked for one-to-one meetings only",
        ),
        (
            [_meeting("s0", "T00", "a", "b"), _meeting("s1", "T00", "b", "a")],
            "meeting 1: b and a already meet (meeting 0)",
        ),
        ([_meeting("s0", "T00", "a", "d")], "meeting 0: a and d must not meet"),
        ([_meeting("s0", "T00", "b", "d")], "meeting 0: b and d must not meet"),
        (
            [_meeting("g0", "R00", "a", "d", "g", kind="group")],
            "meeting 0: a and d must be kept apart",
        ),
        ([_meeting("g0", "R00", "a", "b", kind="group")], "meeting 0: a group of 2 (allowed 3-3)"),
        (
            [_meeting("g0", "R00", "a", "b", "g", kind="one_to_one")],
            "meeting 0: a one_to_one meeting in group slot g0",
        ),
        (
            [_meeting("s0", "T00", "a", "b"), _meeting("s1", "T00", "a", "o")],
            "a has 2 one-to-one meetings (at most 1)",
        ),
    ],
)
def test_each_rule_is_checked(meetings, problem):
    assert problem in _check(*meetings)

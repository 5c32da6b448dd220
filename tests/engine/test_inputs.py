import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine.inputs import (
    InputError,
    check_references,
    parse_attendee,
    parse_event,
    read_attendees_with_lines,
)

EVENT = {
    "slots": [
        {
            "id": "s1",
            "start": "2030-01-01T09:00:00+00:00",
            "end": "2030-01-01T09:20:00+00:00",
            "format": "one_to_one",
        }
    ],
    "locations": [{"id": "T1", "capacity": 2}],
}


def _lines(*rows) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r) for r in rows]


def test_read_attendees_fills_defaults_and_ignores_unknown_fields():
    [a] = read_attendees(_lines({"id": "a", "shoe_size": 44}))

    assert (a.id, a.bio, a.interests, a.seeks, a.format, a.available, a.max_meetings) == (
        "a",
        "",
        (),
        (),
        "any",
        None,
        None,
    )


@pytest.mark.parametrize(
    "lines,message",
    [
        (['{"id": "a"}', "{not json"], "line 2: not JSON"),
        (['{"name": "x"}'], "line 1: field 'id' is missing"),
        (['{"id": ""}'], "line 1: field 'id' is missing"),
        (['{"id": "a"}', "", '{"id": "a"}'], "line 3: field 'id' 'a' repeats line 1"),
        (['{"id": "a", "seeks": ["money"]}'], "line 1: field 'seeks': unknown intent 'money'"),
        (['{"id": "a", "format": "solo"}'], "line 1: field 'format' must be one of"),
        (
            ['{"id": "a", "max_meetings": -1}'],
            "line 1: field 'max_meetings' must be a whole number",
        ),
        (['{"id": "a", "interests": "python"}'], "line 1: field 'interests': must be a list"),
        (["[1, 2]"], "line 1: must be a JSON object"),
    ],
)
def test_bad_attendee_lines_name_line_and_field(lines, message):
    with pytest.raises(InputError) as error:
        read_attendees(lines)

    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"slots": []}, "event: field 'slots' must list at least one slot"),
        (
            {"slots": [{"id": "s1", "start": "x", "end": "y", "format": "dinner"}]},
            "event: slots[0]: field 'format'",
        ),
        ({"slots": [{"start": "x"}]}, "event: slots[0]: field 'id' is missing"),
        (
            {"slots": [{"id": "s1", "start": "2030-01-01T09:00", "end": "2030-01-01T09:20"}]},
            "event: slots[0]: field 'start' must be an ISO 8601 time with its offset",
        ),
        (
            {
                "slots": [
                    {"id": "s1", "start": "2030-01-01T09:00+02:00", "end": "2030-01-01T08:00+01:00"}
                ]
            },
            "event: slots[0]: field 'end' is not after 'start'",
        ),
        ({"locations": [{"id": "T1", "capacity": 1}]}, "event: locations[0]: field 'capacity'"),
        ({"group_size": [5, 3]}, "event: field 'group_size' must be [min, max]"),
        ({"group_size": [1, 3]}, "event: field 'group_size' must be [min, max]"),
        ({"max_meetings": "six"}, "event: field 'max_meetings'"),
        ({"tables_kept_free": -1}, "event: field 'tables_kept_free' must be a whole number >= 0"),
        ({"meetings_kept_free": "x"}, "event: field 'meetings_kept_free' must be a whole"),
        (
            {"constraints": {"apart": [["a"]]}},
            "event: constraints.apart: must be a list of [id, id] pairs",
        ),
    ],
)
def test_bad_event_fields_are_named(change, message):
    with pytest.raises(InputError) as error:
        parse_event({**EVENT, **change})

    assert str(error.value).startswith(message)


def test_tables_kept_free_is_read_and_defaults_to_none():
    assert parse_event(EVENT).tables_kept_free == 0
    assert parse_event({**EVENT, "tables_kept_free": 2}).tables_kept_free == 2


def test_unknown_slot_in_availability_names_the_line():
    event = parse_event(EVENT)
    attendees = read_attendees(_lines({"id": "a"}, {"id": "b", "available": ["s1", "s9"]}))

    with pytest.raises(InputError) as error:
        check_references(event, attendees, {"a": 1, "b": 2})

    assert str(error.value) == "line 2: field 'available' names unknown slot 's9'"


def test_constraint_with_unknown_attendee_is_refused():
    event = parse_event({**EVENT, "constraints": {"together": [["a", "zz"]]}})

    with pytest.raises(InputError) as error:
        check_references(event, read_attendees(_lines({"id": "a"})))

    assert str(error.value) == "event: constraints.together names unknown attendee 'zz'"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "id",
    "name",
    "bio",
    "headline",
    "company",
    "interests",
    "seeks",
    "offers",
    "looking_for",
    "can_help",
    "format",
    "available",
    "max_meetings",
    "first_time",
]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES | st.text(), max_size=len(FIELDS)))
def test_any_attendee_line_is_read_or_refused_with_a_message(data):
    import unicodedata

    from matchmaker.text import refused_character

    try:
        attendee = parse_attendee(data, 1)
    except InputError as error:
        assert str(error).startswith("line 1: ")
        return
    for text in (attendee.name, attendee.bio, attendee.headline, *attendee.interests):
        assert unicodedata.is_normalized("NFC", text)
        assert refused_character(text, multiline=True) is None


def read_attendees(lines):
    return read_attendees_with_lines(lines)[0]

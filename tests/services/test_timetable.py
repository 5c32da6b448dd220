from datetime import date, datetime, time

import pytest

from matchmaker.models import Location, Slot
from matchmaker.services.core import access
from matchmaker.services.errors import Invalid, NotFound
from matchmaker.services.setup import timetable
from tests import factories

DAY = factories.EVENT_DAY


def _series(**changes):
    values = dict(
        day=DAY,
        start=time(10, 0),
        end=time(11, 0),
        length=20,
        pause=5,
        format="one_to_one",
    )
    values.update(changes)
    return timetable.SlotSeries(**values)


@pytest.fixture
def owner_event(session):
    owner = factories.organiser(session)
    return owner, factories.event(session, owner)


def test_generate_slots_fills_the_window_with_breaks(session, owner_event):
    owner, ev = owner_event

    slots = timetable.generate_slots(session, event=ev, series=_series())

    assert [(s.starts_at.time(), s.ends_at.time()) for s in slots] == [
        (time(10, 0), time(10, 20)),
        (time(10, 25), time(10, 45)),
    ]
    assert {s.format for s in slots} == {"one_to_one"}


def test_generate_slots_where_none_fits_says_so(session, owner_event):
    owner, ev = owner_event

    with pytest.raises(Invalid) as error:
        timetable.generate_slots(session, event=ev, series=_series(length=90))

    assert error.value.errors == {"end": ["Not even one 90-minute meeting fits."]}
    assert session.query(Slot).count() == 0


def test_generate_slots_overlapping_existing_adds_none(session, owner_event):
    owner, ev = owner_event
    factories.slot(session, ev, start=time(10, 30), end=time(10, 50))

    with pytest.raises(Invalid) as error:
        timetable.generate_slots(session, event=ev, series=_series())
    session.rollback()

    assert list(error.value.errors) == ["start"]
    assert session.query(Slot).count() == 1


@pytest.mark.parametrize(
    "start,end,day,field",
    [
        (time(11, 0), time(10, 0), DAY, "end"),
        (time(10, 0), time(10, 0), DAY, "end"),
        (time(10, 0), time(10, 20), date(2030, 6, 1), "day"),
    ],
)
def test_add_slot_with_bad_times_names_the_field(session, owner_event, start, end, day, field):
    owner, ev = owner_event

    with pytest.raises(Invalid) as error:
        factories.slot(session, ev, start=start, end=end, day=day)

    assert list(error.value.errors) == [field]


def test_update_slot_may_keep_its_own_time(session, owner_event):
    owner, ev = owner_event
    slot = factories.slot(session, ev)

    timetable.update_slot(
        session,
        event=ev,
        slot_id=slot.id,
        starts_at=slot.starts_at,
        ends_at=datetime.combine(DAY, time(10, 30)),
        format="group",
        label="Lunch",
    )

    assert (slot.ends_at.time(), slot.format, slot.label) == (
        time(10, 30),
        "group",
        "Lunch",
    )


def test_delete_slot_removes_attendee_availability(session, owner_event):
    owner, ev = owner_event
    slot = factories.slot(session, ev)
    profile = factories.attendee(session, ev)
    assert profile.available_slots == [slot]

    timetable.delete_slot(session, event=ev, slot_id=slot.id)
    session.expire_all()

    assert profile.available_slots == []


def test_slot_of_other_event_is_not_found(session, owner_event):
    owner, ev = owner_event
    other_event = factories.event(session, owner, name="Other")
    slot = factories.slot(session, other_event)

    with pytest.raises(NotFound):
        timetable.delete_slot(session, event=ev, slot_id=slot.id)


def test_other_organiser_cannot_change_slots_or_locations(session, owner_event):
    owner, ev = owner_event
    factories.slot(session, ev)
    [table] = timetable.add_locations(session, event=ev, name="Table", capacity=2)
    other = factories.organiser(session, email="other@example.org")

    with pytest.raises(NotFound):
        access.organised_event(session, event_id=ev.id, actor_id=other.id)

    assert session.query(Slot).count() == 1
    assert [(loc.name, loc.capacity) for loc in session.query(Location)] == [("Table", 2)]


def test_add_numbered_locations_continues_numbering(session, owner_event):
    owner, ev = owner_event
    timetable.add_locations(session, event=ev, name="Table", capacity=2, count=2)

    added = timetable.add_locations(session, event=ev, name="Table", capacity=2, count=2)

    assert [loc.name for loc in added] == ["Table 3", "Table 4"]
    assert [loc.kind for loc in added] == ["table", "table"]


def test_location_capacity_below_two_and_duplicate_name_are_refused(session, owner_event):
    owner, ev = owner_event
    timetable.add_locations(session, event=ev, name="Room A", capacity=6)

    with pytest.raises(Invalid) as error:
        timetable.add_locations(session, event=ev, name="room a", capacity=1)

    assert error.value.errors == {
        "capacity": ["A location seats at least 2 people."],
        "name": ["There is already a location called 'room a'."],
    }


def test_locations_fold_into_numbered_runs_in_natural_order(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    for name, capacity, count in [("Table", 2, 12), ("Room", 6, 1), ("Booth", 2, 2)]:
        timetable.add_locations(session, event=ev, name=name, capacity=capacity, count=count)
    session.refresh(ev)

    runs = timetable.location_runs(ev.locations)

    assert [(r.label, r.capacity, len(r.locations)) for r in runs] == [
        ("Booth 1", 2, 1),
        ("Booth 2", 2, 1),
        ("Room", 6, 1),
        ("Tables 1-12", 2, 12),
    ]
    assert [loc.name for loc in runs[-1].locations][:3] == ["Table 1", "Table 2", "Table 3"]


def test_slots_on_the_last_day_of_the_calendar_do_not_overflow(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner, starts_on=date(9999, 12, 31), ends_on=date(9999, 12, 31))
    series = timetable.SlotSeries(
        date(9999, 12, 31), time(23, 0), time(23, 59), 20, 5, "one_to_one"
    )

    slots = timetable.generate_slots(session, event=ev, series=series)

    assert [s.starts_at.time() for s in slots] == [time(23, 0), time(23, 25)]


def test_a_meeting_longer_than_a_day_is_named(session):
    series = timetable.SlotSeries(date(2030, 1, 1), time(9, 0), time(17, 0), 10**9, 0, "one_to_one")

    with pytest.raises(Invalid) as error:
        timetable.series_times(series)

    assert error.value.errors == {"length": ["A meeting lasts at most a day (1,440 minutes)."]}

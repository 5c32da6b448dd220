"""Timetable edits once a schedule is published: an edit that touches published meetings
(removing a slot or a location, moving or re-kinding a slot, cutting a room's seats) first
says which meetings it affects and waits for the organiser's confirmation; then the meetings
it can no longer hold are cancelled, never deleted (their rows, answers and notes stay, and
calendars show them cancelled), the people freed are offered new meetings where the slot
still exists, and everyone whose schedule changed is told once. Meetings that have begun are
never cancelled: an edit that would is refused."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import Event, Location, Meeting, MeetingSeat, profile_slots
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, ServiceError
from matchmaker.services.planning import publishing, refills
from matchmaker.services.setup import timetable
from matchmaker.vocabulary import MeetingKind

BEGUN = (
    "{what} has meetings that have begun or taken place; they stay in people's history, so "
    "it cannot be {done}."
)


@dataclass(frozen=True)
class Effects:
    """What an edit does to the published schedule: meetings it cancels, meetings that stay
    but change (a new time or a renamed place), and the people concerned."""

    cancelled: list[Meeting]
    changed: list[Meeting]
    # Whether the people a cancelled one-to-one frees are offered another table in its slot.
    refills: bool = False

    @property
    def people(self) -> int:
        return len({s.profile_id for m in self.cancelled + self.changed for s in m.seats})

    @property
    def any(self) -> bool:
        return bool(self.cancelled or self.changed)


class Unconfirmed(ServiceError):
    """The edit touches published meetings: shown to the organiser, it waits for a yes."""

    def __init__(self, effects: Effects):
        super().__init__("This change affects published meetings: confirm it first.")
        self.effects = effects


def _published(session: Session, event: Event, **where) -> list[Meeting]:
    """The published meetings that take place, in a slot or at a location."""
    if event.published_run_id is None:
        return []
    query = (
        sa.select(Meeting)
        .where(Meeting.run_id == event.published_run_id, Meeting.cancelled_at.is_(None))
        .options(
            selectinload(Meeting.slot),
            selectinload(Meeting.location),
            selectinload(Meeting.seats).selectinload(MeetingSeat.profile),
        )
        .order_by(Meeting.id)
    )
    for column, value in where.items():
        query = query.where(getattr(Meeting, column) == value)
    return list(session.scalars(query))


def _refuse_if_begun(meetings: list[Meeting], now: datetime, what: str, done: str) -> None:
    if any(m.slot.starts_at_aware() <= now for m in meetings):
        raise Conflict(BEGUN.format(what=what, done=done))


def _apply(
    session: Session,
    event: Event,
    effects: Effects,
    edit,
    *,
    now: datetime,
    notice: Notice,
    refill: bool,
) -> None:
    """Make the edit, cancel the affected meetings (refilling their slots in the timetable as
    it now is, when asked), and tell each person concerned once."""
    people = sorted({s.profile_id for m in effects.cancelled + effects.changed for s in m.seats})
    run_id = event.published_run_id
    before = publishing.schedules(session, run_id, people) if people else {}
    edit()
    for meeting in effects.changed:
        meeting.sequence += 1  # a new time or place name: calendars take the newer version
    session.flush()
    session.expire(event, ["slots", "locations"])  # refills see the timetable as it now is
    made: list[Meeting] = []
    for meeting in effects.cancelled:
        if meeting.cancelled_at is not None:
            continue
        freed = [s.profile_id for s in meeting.seats]
        made += refills.take_out(
            session,
            meeting,
            freed=freed,
            now=now,
            refill=refill and meeting.kind == MeetingKind.ONE_TO_ONE,
        )
    session.flush()
    if people:
        told = sorted(set(people) | {s.profile_id for m in made for s in m.seats})
        publishing.tell(session, event, before, made, told, notice)


def _cancel_unseen(session: Session, event: Event, now: datetime, **where) -> None:
    """Meetings of runs nobody sees (not published) in a retired slot or location: cancelled
    too, so that publishing such a run later cannot bring them back."""
    runs = sa.select(Meeting.id).where(Meeting.cancelled_at.is_(None))
    for column, value in where.items():
        runs = runs.where(getattr(Meeting, column) == value)
    session.execute(
        sa.update(Meeting)
        .where(Meeting.id.in_(runs), Meeting.run_id != (event.published_run_id or -1))
        .values(cancelled_at=now)
    )


def _has_published(session: Session, event: Event, **where) -> bool:
    """Whether the published run has any meeting (cancelled or not) there: then the row must
    stay for calendars."""
    if event.published_run_id is None:
        return False
    query = sa.select(Meeting.id).where(Meeting.run_id == event.published_run_id)
    for column, value in where.items():
        query = query.where(getattr(Meeting, column) == value)
    return session.scalar(query.limit(1)) is not None


def remove_slot(
    session: Session, *, event: Event, slot_id: int, now: datetime, notice: Notice,
    confirmed: bool = False,
) -> Effects:  # fmt: skip
    """Remove a slot. Its published meetings are cancelled (the slot stays as a retired row
    for them); refused if any has begun; Unconfirmed until the organiser says yes."""
    slot = timetable.get_slot(session, event=event, slot_id=slot_id)
    meetings = _published(session, event, slot_id=slot.id)
    effects = Effects(meetings, [])
    if meetings:
        _refuse_if_begun(meetings, now, "This slot", "removed")
        if not confirmed:
            raise Unconfirmed(effects)
    if not _has_published(session, event, slot_id=slot.id):
        timetable.delete_slot(session, event=event, slot_id=slot.id)
        return effects

    def retire():
        slot.retired_at = now
        session.execute(sa.delete(profile_slots).where(profile_slots.c.slot_id == slot.id))
        _cancel_unseen(session, event, now, slot_id=slot.id)

    _apply(session, event, effects, retire, now=now, notice=notice, refill=False)
    return effects


def remove_location(
    session: Session, *, event: Event, location_id: int, now: datetime, notice: Notice,
    confirmed: bool = False,
) -> Effects:  # fmt: skip
    """Remove a table or room. Its published meetings still to come are cancelled and their
    people offered other tables in the same slot; meetings there that have begun stay (the
    location stays as a retired row for them). Unconfirmed until the organiser says yes."""
    location = timetable.get_location(session, event=event, location_id=location_id)
    meetings = [
        m for m in _published(session, event, location_id=location.id)
        if m.slot.starts_at_aware() > now
    ]  # fmt: skip
    effects = Effects(meetings, [], refills=True)
    if meetings and not confirmed:
        raise Unconfirmed(effects)
    if not _has_published(session, event, location_id=location.id):
        timetable.delete_location(session, event=event, location_id=location.id)
        return effects

    def retire():
        location.retired_at = now
        location.name = _retired_name(session, event, location)
        _cancel_unseen(session, event, now, location_id=location.id)

    _apply(session, event, effects, retire, now=now, notice=notice, refill=True)
    return effects


def _retired_name(session: Session, event: Event, location: Location) -> str:
    """A name that frees the location's own for a new one ("Table 3 (removed)")."""
    taken = set(session.scalars(sa.select(Location.name).where(Location.event_id == event.id)))
    name, n = f"{location.name} (removed)", 2
    while name in taken:
        name, n = f"{location.name} (removed {n})", n + 1
    return name


def change_slot(
    session: Session,
    *,
    event: Event,
    slot_id: int,
    starts_at: datetime,
    ends_at: datetime,
    format: str,
    label: str,
    now: datetime,
    notice: Notice,
    confirmed: bool = False,
) -> Effects:
    """Change a slot's times, kind or label. Once published: a new kind cancels its meetings
    (their people are free again elsewhere); new times move its meetings with it, and their
    people are told. Refused if its meetings have begun; Unconfirmed until the organiser
    says yes."""
    slot = timetable.get_slot(session, event=event, slot_id=slot_id)
    timetable.check_slot_change(event, slot, starts_at, ends_at, format)
    meetings = _published(session, event, slot_id=slot.id)
    moved = (starts_at, ends_at) != (slot.starts_at, slot.ends_at)
    rekinded = format != slot.format
    effects = Effects(meetings if rekinded else [], meetings if moved and not rekinded else [])
    if effects.any:
        _refuse_if_begun(meetings, now, "This slot", "changed")
        if not confirmed:
            raise Unconfirmed(effects)

    def edit():
        timetable.update_slot(
            session, event=event, slot_id=slot.id, starts_at=starts_at, ends_at=ends_at,
            format=format, label=label,
        )  # fmt: skip
        if rekinded:
            _cancel_unseen(session, event, now, slot_id=slot.id)

    _apply(session, event, effects, edit, now=now, notice=notice, refill=False)
    return effects


def change_location(
    session: Session,
    *,
    event: Event,
    location_id: int,
    name: str,
    capacity: int,
    now: datetime,
    notice: Notice,
    confirmed: bool = False,
) -> Effects:
    """Rename a location or change its seats. Once published: meetings still to come that no
    longer fit are cancelled (one-to-ones refilled at other tables), and a new name is told
    to the people meeting there. Unconfirmed until the organiser says yes."""
    location = timetable.get_location(session, event=event, location_id=location_id)
    timetable.check_location_change(event, location, name, capacity)
    coming = [
        m for m in _published(session, event, location_id=location.id)
        if m.slot.starts_at_aware() > now
    ]  # fmt: skip
    too_many = [m for m in coming if len(m.seats) > capacity]
    renamed = name.strip() != location.name
    effects = Effects(
        too_many, [m for m in coming if m not in too_many] if renamed else [], refills=True
    )
    if effects.any and not confirmed:
        raise Unconfirmed(effects)

    def edit():
        timetable.update_location(
            session, event=event, location_id=location.id, name=name, capacity=capacity
        )

    _apply(session, event, effects, edit, now=now, notice=notice, refill=True)
    return effects

"""What the organiser's overview shows before a run: warnings about what matching cannot
serve (it warns, it does not block), and the pictures of who signed up and what they want."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.catalogue import N_, Text
from matchmaker.models import (
    Event,
    Meeting,
    MeetingSeat,
    Profile,
    ProfileIntent,
    Tag,
    profile_slots,
    profile_tags,
)
from matchmaker.models.event import Slot
from matchmaker.services.core import revisions
from matchmaker.services.people.attendance import slots_by_day
from matchmaker.services.setup.events import EventFigures, event_figures
from matchmaker.services.setup.timetable import LocationRun, SlotLine, location_runs
from matchmaker.vocabulary import INTENT_LABELS, INTENTS, AttendeeFormat, Direction, MeetingKind


@dataclass(frozen=True)
class Demand:
    intent: str
    label: str
    seeks: int
    offers: int


def _complete(event: Event):
    return sa.and_(Profile.event_id == event.id, Profile.can_be_matched())


def readiness(session: Session, *, event: Event) -> list[Text]:
    """Warnings an organiser should see before running matching; [] when all looks fine."""
    warnings: list[Text] = []
    one_slots = [s for s in event.slots if s.format == MeetingKind.ONE_TO_ONE]
    group_slots = [s for s in event.slots if s.format == MeetingKind.GROUP]
    tables = [loc for loc in event.locations if loc.capacity == 2] or event.locations
    rooms = [loc for loc in event.locations if loc.capacity >= event.group_size_min]
    if not event.slots:
        warnings.append(Text(N_("There are no time slots yet: add them before running matching.")))
    if not event.locations:
        warnings.append(
            Text(N_("There are no tables or rooms yet: add them before running matching."))
        )
    empty = session.scalar(
        sa.select(sa.func.count(Profile.id)).where(
            Profile.event_id == event.id, Profile.completed_at.is_(None)
        )
    )
    if empty:
        warnings.append(
            Text(
                N_("%(num)d attendee has not filled their profile: matching leaves them out "
                   "until they do."),
                {"num": empty},
                N_("%(num)d attendees have not filled their profile: matching leaves them out "
                   "until they do."),
            )
        )  # fmt: skip
    # One row per filled profile: its format, cap and free slots of each kind (counted in SQL).
    free_of = {kind: sa.func.count(sa.case((Slot.format == kind, Slot.id))) for kind in MeetingKind}
    rows = session.execute(
        sa.select(
            Profile.format,
            Profile.meeting_cap(event.max_meetings),
            free_of[MeetingKind.ONE_TO_ONE],
            free_of[MeetingKind.GROUP],
        )
        .outerjoin(profile_slots, profile_slots.c.profile_id == Profile.id)
        .outerjoin(Slot, Slot.id == profile_slots.c.slot_id)
        .where(_complete(event))
        .group_by(Profile.id, Profile.format, Profile.max_meetings)
    ).all()
    no_time = sum(1 for _, _, ones, groups in rows if ones + groups == 0)
    if no_time:
        warnings.append(
            Text(
                N_("%(num)d attendee marked no free slot."),
                {"num": no_time},
                N_("%(num)d attendees marked no free slot."),
            )
        )
    groups_only = sum(1 for fmt, *_ in rows if fmt == AttendeeFormat.GROUP)
    if groups_only and not group_slots:
        warnings.append(
            Text(
                N_("%(num)d attendee wants small groups only, but the event has no group slots."),
                {"num": groups_only},
                N_("%(num)d attendees want small groups only, but the event has no group slots."),
            )
        )
    pairs_only = sum(1 for fmt, *_ in rows if fmt == AttendeeFormat.ONE_TO_ONE)
    if pairs_only and not one_slots:
        warnings.append(
            Text(
                N_("%(num)d attendee wants one-to-one meetings only, but the event has no "
                   "one-to-one slots."),
                {"num": pairs_only},
                N_("%(num)d attendees want one-to-one meetings only, but the event has no "
                   "one-to-one slots."),
            )
        )  # fmt: skip
    wanted = sum(min(cap, ones) for fmt, cap, ones, _ in rows if fmt != AttendeeFormat.GROUP)
    room = len(tables) * len(one_slots)
    if one_slots and wanted > 2 * room:
        warnings.append(
            Text(
                N_("The tables hold %(room)d one-to-one meetings, but attendees could take up "
                   "to %(wanted)d: add tables or slots, or expect fewer meetings each."),
                {"room": room, "wanted": wanted // 2},
            )
        )  # fmt: skip
    seats = sum(min(loc.capacity, event.group_size_max) for loc in rooms)
    willing = dict(
        session.execute(
            sa.select(profile_slots.c.slot_id, sa.func.count())
            .join(Profile, Profile.id == profile_slots.c.profile_id)
            .where(_complete(event), Profile.format != AttendeeFormat.ONE_TO_ONE)
            .where(profile_slots.c.slot_id.in_([s.id for s in group_slots]))
            .group_by(profile_slots.c.slot_id)
        ).all()
    )
    for slot in group_slots:
        if willing.get(slot.id, 0) > seats:
            warnings.append(
                Text(
                    N_("%(free)d attendees are free for the groups at %(when)s, but the rooms "
                       "seat %(seats)d."),
                    {"free": willing[slot.id], "when": slot.starts_at,
                     "seats": seats},
                )
            )  # fmt: skip
    return warnings


def signups_by_day(session: Session, *, event: Event) -> list[tuple[date, int]]:
    """How many attendees joined on each day (UTC), in order."""
    day = sa.func.date(Profile.created_at)
    rows = session.execute(
        sa.select(day, sa.func.count(Profile.id))
        .where(Profile.event_id == event.id)
        .group_by(day)
        .order_by(day)
    ).all()
    return [(date.fromisoformat(str(d)[:10]), n) for d, n in rows]


def demand_and_supply(session: Session, *, event: Event) -> list[Demand]:
    """For each intent, how many filled profiles seek it and how many offer it."""
    counts = {
        (intent, direction): n
        for intent, direction, n in session.execute(
            sa.select(ProfileIntent.intent, ProfileIntent.direction, sa.func.count())
            .join(Profile)
            .where(_complete(event))
            .group_by(ProfileIntent.intent, ProfileIntent.direction)
        )
    }
    return [
        Demand(
            i,
            INTENT_LABELS[i],
            counts.get((i, Direction.SEEKS), 0),
            counts.get((i, Direction.OFFERS), 0),
        )
        for i in INTENTS
    ]


def top_interests(session: Session, *, event: Event, limit: int = 10) -> list[tuple[str, int]]:
    """The interests most profiles name, most common first."""
    used = sa.func.count(profile_tags.c.profile_id)
    rows = session.execute(
        sa.select(Tag.name, used)
        .join(profile_tags, profile_tags.c.tag_id == Tag.id)
        .where(Tag.event_id == event.id)
        .group_by(Tag.name)
        .order_by(used.desc(), Tag.name)
        .limit(limit)
    ).all()
    return [(name, n) for name, n in rows]


@dataclass(frozen=True)
class Place:
    """A table or room as the overview lists it (a plain copy, like `SlotLine`)."""

    id: int
    name: str
    capacity: int

    @property
    def kind(self) -> str:
        return "table" if self.capacity == 2 else "room"


@dataclass(frozen=True)
class LateJoiners:
    """Who filled in their profile after the schedule was published, and how many of them
    were placed at once (have a meeting in it)."""

    joined: int
    placed: int


def late_joiners(session: Session, *, event: Event) -> LateJoiners | None:
    """The late joiners of a published event (None before publishing)."""
    if event.published_run_id is None or event.published_at is None:
        return None
    seated = (
        sa.select(MeetingSeat.profile_id)
        .join(Meeting)
        .where(Meeting.run_id == event.published_run_id, Meeting.cancelled_at.is_(None))
    )
    joined, placed = session.execute(
        sa.select(
            sa.func.count(Profile.id), sa.func.count(Profile.id).filter(Profile.id.in_(seated))
        ).where(
            Profile.event_id == event.id,
            Profile.can_be_matched(),
            Profile.completed_at > event.published_at,
        )
    ).one()
    return LateJoiners(joined, placed)


@dataclass(frozen=True)
class Overview:
    figures: EventFigures
    readiness: list[Text]
    signups: list[tuple[date, int]]
    intents: list[Demand]
    interests: list[tuple[str, int]]
    days: list[tuple[str, list[SlotLine]]]
    location_runs: list[LocationRun]
    late: LateJoiners | None = None


def event_overview(session: Session, *, event: Event) -> Overview:
    """Everything the organiser's overview shows, computed once per change of the event
    (`revisions.remembered`): at 5,000 attendees it is aggregates over every profile."""

    def compute() -> Overview:
        slots = [SlotLine.of(slot) for slot in event.slots]
        places = [Place(loc.id, loc.name, loc.capacity) for loc in event.locations]
        return Overview(
            figures=event_figures(session, event=event),
            readiness=readiness(session, event=event),
            signups=signups_by_day(session, event=event),
            intents=demand_and_supply(session, event=event),
            interests=top_interests(session, event=event),
            days=slots_by_day(slots),
            location_runs=location_runs(places),
            late=late_joiners(session, event=event),
        )

    return revisions.remembered(event, "overview", compute)

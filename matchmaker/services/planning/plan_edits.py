"""An organiser's changes to a finished plan: move a meeting to another slot or table, or
cancel it. The engine's checker judges every change; on the published plan, the people of the
meeting are told what changed."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.engine.checks import check_plan
from matchmaker.models import Event, Location, Meeting, Slot
from matchmaker.services.core import calendar_ids
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.planning import adapter, matching, publishing, refills
from matchmaker.text import natural_key
from matchmaker.vocabulary import JobStatus, MeetingKind

NOT_FINISHED = "Only the meetings of a finished run can be changed."


def get_meeting(
    session: Session, *, event: Event, meeting_id: int, for_change: bool = False
) -> Meeting:
    """A meeting of one of the event's runs, for its organisers. `for_change`: first wait for
    and hold its run's lock, as declines and refills do (one lock order: the run, then its
    meetings), and read the meeting as the change before it left it."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is not None and for_change and meeting.run.event_id == event.id:
        refills.lock_run(session, meeting.run_id)
        session.refresh(meeting)
    if meeting is None or meeting.run.event_id != event.id or meeting.cancelled_at is not None:
        raise NotFound("There is no such meeting at this event (or it was cancelled).")
    return meeting


def free_locations(session: Session, meeting: Meeting, slot_id: int) -> list[Location]:
    """The places the meeting could move to in this slot: those of its event that hold its
    people and that no other meeting of its run takes then (its own place stays listed), by
    name."""
    run = meeting.run
    taken = set(
        session.scalars(
            sa.select(Meeting.location_id).where(
                Meeting.run_id == run.id,
                Meeting.slot_id == slot_id,
                Meeting.cancelled_at.is_(None),
                Meeting.id != meeting.id,
            )
        )
    )
    size = len(meeting.seats)
    fits = [
        loc
        for loc in run.event.locations
        if loc.retired_at is None
        and loc.id not in taken
        and (loc.capacity == 2 if meeting.kind == MeetingKind.ONE_TO_ONE else loc.capacity >= size)
    ]
    return sorted(fits, key=lambda loc: natural_key(loc.name))


def _as_plan(meetings: list[Meeting], changed: Meeting | None, slot_id: int, location_id: int):
    plan = matching.as_engine_plan(meetings)
    if changed is not None:
        row = plan["meetings"][meetings.index(changed)]
        row["slot"], row["location"] = (
            adapter.slot_key(slot_id),
            adapter.location_key(location_id),
        )
    return plan


def _without_index(problem: str) -> str:
    """The checker's words without its "meeting 12: " prefix and "(meeting 3)" references."""
    head, sep, rest = problem.partition(": ")
    text = rest if sep and head.startswith("meeting ") else problem
    return text.split(" (meeting ")[0]


def _check_move(session: Session, meeting: Meeting, slot: Slot, location: Location) -> None:
    run = meeting.run
    event = run.event
    attendees = adapter.read_attendees(session, event_id=event.id)
    inputs = adapter.engine_inputs(event, attendees, run.rules)
    meetings = matching.run_meetings(session, run_id=run.id)
    before = set(check_plan(inputs.event, inputs.attendees, _as_plan(meetings, None, 0, 0)))
    after = check_plan(
        inputs.event, inputs.attendees, _as_plan(meetings, meeting, slot.id, location.id)
    )
    names = adapter.names_of(event, attendees)
    fresh = [adapter.describe(_without_index(p), names) for p in after if p not in before]
    if fresh:
        raise Invalid({"slot_id": [f"This move breaks a rule: {fresh[0]}."]})


def move_meeting(
    session: Session,
    *,
    event: Event,
    meeting_id: int,
    slot_id: int,
    location_id: int,
    notice: Notice,
) -> Meeting:
    """Move a meeting to another slot and location, if the plan then keeps every rule; a
    re-plan keeps it where the organiser put it."""
    meeting = get_meeting(session, event=event, meeting_id=meeting_id, for_change=True)
    if meeting.run.status != JobStatus.DONE:
        raise Conflict(NOT_FINISHED)
    slot, location = session.get(Slot, slot_id), session.get(Location, location_id)
    errors = {}
    if slot is None or slot.event_id != event.id or slot.retired_at is not None:
        errors["slot_id"] = ["Choose a slot of this event."]
    if location is None or location.event_id != event.id or location.retired_at is not None:
        errors["location_id"] = ["Choose a table or room of this event."]
    if errors:
        raise Invalid(errors)
    if (slot.id, location.id) == (meeting.slot_id, meeting.location_id):
        return meeting
    _check_move(session, meeting, slot, location)
    people, published = _people(meeting), _is_published(meeting)
    before = publishing.schedules(session, meeting.run_id, people) if published else {}
    calendar_ids.move(meeting.run.event, meeting, slot_id=slot.id, location_id=location.id)
    meeting.pinned = True
    session.flush()
    if published:
        _tell(session, meeting.run.event, before, people, notice)
    return meeting


def cancel_meeting(
    session: Session,
    *,
    event: Event,
    meeting_id: int,
    notice: Notice,
    now: datetime,
    refill: bool = False,
) -> list[Meeting]:
    """Take a meeting out of a finished plan (a plan without it keeps every rule); it stays
    on record as cancelled, so that calendar feeds tell calendars to remove it. With
    `refill`, the freed people are offered new meetings in its slot (returned)."""
    meeting = get_meeting(session, event=event, meeting_id=meeting_id, for_change=True)
    if meeting.run.status != JobStatus.DONE:
        raise Conflict(NOT_FINISHED)
    event, run_id = meeting.run.event, meeting.run_id
    people, published = _people(meeting), _is_published(meeting)
    before = publishing.schedules(session, run_id, people) if published else {}
    made = refills.take_out(session, meeting, freed=people, now=now, refill=refill)
    session.flush()
    if published:
        told = sorted(set(people) | {s.profile_id for m in made for s in m.seats})
        publishing.tell(session, event, before, made, told, notice)
    return made


def _people(meeting: Meeting) -> list[int]:
    return [s.profile_id for s in meeting.seats]


def _is_published(meeting: Meeting) -> bool:
    return meeting.run.event.published_run_id == meeting.run_id


def _tell(session, event, before, people, notice: Notice) -> None:
    publishing.tell(session, event, before, [], people, notice)

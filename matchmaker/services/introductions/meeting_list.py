"""The meetings of a run, page by page, for tools that read a plan or the published schedule
(the API). Answers are counted per meeting, never shown per person: nobody learns from here
who declined."""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import Event, Meeting, Slot
from matchmaker.services.errors import NotFound
from matchmaker.services.planning import matching
from matchmaker.vocabulary import MeetingKind, Response

NOTHING_PUBLISHED = "Nothing is published at this event yet."
NO_SUCH_MEETING = "There is no such meeting in the event's published schedule."
NOT_COMING = (Response.DECLINED, Response.DROPPED)


class State:
    PLANNED = "planned"  # a plan's meeting, not published
    WAITING = "waiting"  # published; some answers are still to come
    CONFIRMED = "confirmed"  # published; everyone coming has accepted
    NOT_TAKING_PLACE = "not taking place"


@dataclass(frozen=True)
class MeetingLine:
    id: int
    run_id: int
    kind: str
    slot_id: int
    location_id: int
    starts_at: str  # ISO 8601 with the event's offset
    ends_at: str
    location: str
    topic: str
    origin: str
    state: str
    attendee_ids: list[int]
    answers: dict | None  # {"accepted": n, "waiting": n} for a published meeting taking place


def _line(meeting: Meeting, published: bool) -> MeetingLine:
    responses = [seat.response for seat in meeting.seats]
    answers = None
    if not published:
        state = State.PLANNED
    elif meeting.cancelled_at is not None or (
        meeting.kind == MeetingKind.ONE_TO_ONE and any(r in NOT_COMING for r in responses)
    ):
        state = State.NOT_TAKING_PLACE
    else:
        counted = Counter(responses)
        answers = {"accepted": counted[Response.ACCEPTED], "waiting": counted[Response.PENDING]}
        state = State.WAITING if answers["waiting"] else State.CONFIRMED
    return MeetingLine(
        id=meeting.id,
        run_id=meeting.run_id,
        kind=meeting.kind,
        slot_id=meeting.slot_id,
        location_id=meeting.location_id,
        starts_at=meeting.slot.starts_at_aware().isoformat(),
        ends_at=meeting.slot.ends_at_aware().isoformat(),
        location=meeting.location.name,
        topic=meeting.topic,
        origin=meeting.origin,
        state=state,
        attendee_ids=sorted(seat.profile_id for seat in meeting.seats),
        answers=answers,
    )


def _query(run_id: int) -> sa.Select:
    return (
        sa.select(Meeting)
        .where(Meeting.run_id == run_id)
        .options(
            selectinload(Meeting.seats),
            selectinload(Meeting.slot),
            selectinload(Meeting.location),
        )
    )


def meetings_page(
    session: Session, *, event: Event, run_id: int | None, page: int, per_page: int
) -> tuple[list[MeetingLine], int]:
    """One page of a run's meetings by time (the published schedule's when `run_id` is None)
    and how many there are; NotFound for a run of another event, or when nothing is
    published."""
    if run_id is None:
        run_id = event.published_run_id
        if run_id is None:
            raise NotFound(NOTHING_PUBLISHED)
    else:
        matching.get_run(session, event=event, run_id=run_id)
    total = session.scalar(sa.select(sa.func.count(Meeting.id)).where(Meeting.run_id == run_id))
    found = session.scalars(
        _query(run_id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .order_by(Slot.starts_at, Meeting.location_id, Meeting.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    published = run_id == event.published_run_id
    return [_line(m, published) for m in found], total or 0


def published_meeting(session: Session, *, event: Event, meeting_id: int) -> MeetingLine:
    """One meeting of the published schedule; NotFound for any other."""
    if event.published_run_id is None:
        raise NotFound(NO_SUCH_MEETING)
    meeting = session.scalar(_query(event.published_run_id).where(Meeting.id == meeting_id))
    if meeting is None:
        raise NotFound(NO_SUCH_MEETING)
    return _line(meeting, True)

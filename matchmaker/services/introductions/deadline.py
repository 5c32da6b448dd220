"""The response deadline: set by organisers, after which unanswered proposals are settled
once; and the organisers' figures of how attendees answered."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import (
    Event,
    Meeting,
    MeetingSeat,
)
from matchmaker.services.core import calendar_ids, reads
from matchmaker.services.errors import Invalid
from matchmaker.vocabulary import AfterDeadline, MeetingKind, MeetingOrigin, Response


def settle_if_due(session: Session, event: Event, now: datetime) -> bool:
    """Once the response deadline has passed, turn every answer still pending into accepted
    or dropped (as the event says), once; a dropped meeting no longer takes place, and one
    that had begun by the deadline is never dropped. True when this call settled them (what
    was read before is then out of date)."""
    deadline = event.response_deadline_aware()
    if deadline is None or now < deadline or event.published_run_id is None:
        return False
    if event.responses_settled_at is not None:
        return False
    with reads.writing(session) as writer:
        _settle(writer, writer.get(Event, event.id) if writer is not session else event, now)
    if writer is not session:
        session.refresh(event)  # what the settling transaction wrote
    return True


def _settle(session: Session, event: Event, now: datetime) -> None:
    """Settle the pending answers, once, under the event's lock; flush only."""
    session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    session.refresh(event)
    if event.responses_settled_at is not None:
        return  # settled by another request while this one waited for the lock
    deadline = event.response_deadline_aware()
    pending = session.scalars(
        sa.select(MeetingSeat)
        .join(Meeting)
        .where(
            Meeting.run_id == event.published_run_id,
            Meeting.kind == MeetingKind.ONE_TO_ONE,
            Meeting.cancelled_at.is_(None),
            MeetingSeat.response == Response.PENDING,
        )
        .options(selectinload(MeetingSeat.meeting).selectinload(Meeting.slot))
    ).all()
    for seat in pending:
        if event.after_deadline == AfterDeadline.ACCEPT:
            seat.response = Response.ACCEPTED
        elif seat.meeting.slot.starts_at_aware() > deadline:
            seat.response = Response.DROPPED
            calendar_ids.cancel(seat.meeting, deadline)
        # A meeting that had begun by the deadline is never called off afterwards: its answer
        # stays unsaid (settling is done at the first read after the deadline, as of then).
    event.responses_settled_at = now
    session.flush()


@dataclass(frozen=True)
class ResponseFigures:
    """How attendees answered the published one-to-one introductions (answers, counted)."""

    proposals: int
    confirmed: int
    accepted: int
    declined: int
    pending: int
    dropped: int
    refilled: int
    not_taking_place: int
    requested: int = 0  # asked for from the directory


def response_figures(session: Session, *, event: Event, now: datetime) -> ResponseFigures | None:
    """Counts of answers to the published introductions, for the event's organisers (None
    before anything is published)."""
    settle_if_due(session, event, now)
    if event.published_run_id is None:
        return None
    ones = (Meeting.run_id == event.published_run_id) & (Meeting.kind == MeetingKind.ONE_TO_ONE)
    answers = Counter(
        dict(
            session.execute(
                sa.select(MeetingSeat.response, sa.func.count())
                .join(Meeting)
                .where(ones)
                .group_by(MeetingSeat.response)
            ).all()
        )
    )
    meetings = session.execute(
        sa.select(Meeting.id, Meeting.origin, Meeting.cancelled_at, MeetingSeat.response)
        .join(MeetingSeat)
        .where(ones)
    ).all()
    by_meeting: dict[int, list] = {}
    for meeting_id, origin, cancelled, response in meetings:
        by_meeting.setdefault(meeting_id, [origin, cancelled, []])[2].append(response)
    return ResponseFigures(
        proposals=len(by_meeting),
        confirmed=sum(
            1
            for _, cancelled, answers_ in by_meeting.values()
            if cancelled is None and all(a == Response.ACCEPTED for a in answers_)
        ),
        accepted=answers[Response.ACCEPTED],
        declined=answers[Response.DECLINED],
        pending=answers[Response.PENDING],
        dropped=answers[Response.DROPPED],
        refilled=sum(1 for origin, _, _ in by_meeting.values() if origin == MeetingOrigin.REFILL),
        not_taking_place=sum(1 for _, cancelled, _ in by_meeting.values() if cancelled),
        requested=sum(1 for origin, _, _ in by_meeting.values() if origin == MeetingOrigin.REQUEST),
    )


def set_response_deadline(
    session: Session,
    *,
    event: Event,
    deadline: datetime | None,
    after_deadline: str,
) -> Event:
    """Set (or clear) the response deadline, in the event's local time, and what pending
    proposals become after it; answers are settled again at the new deadline."""
    if after_deadline not in set(AfterDeadline):
        raise Invalid({"after_deadline": ["Choose what unanswered proposals become."]})
    event.response_deadline = deadline.replace(tzinfo=None) if deadline else None
    event.after_deadline = after_deadline
    event.responses_settled_at = None
    session.flush()
    return event

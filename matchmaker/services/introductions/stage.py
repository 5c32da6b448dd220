"""Where an event stands, for the top of its overview: no plan yet, a run under way, a plan
ready to publish, or published with how people answered; and the next step."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import Event, MatchRun, Meeting, MeetingSeat
from matchmaker.vocabulary import ACTIVE_JOB_STATUSES, JobStatus, MeetingKind, Response


@dataclass(frozen=True)
class Stage:
    """The event's stage: "no_plan", "running", "ready" or "published"; the run it is about
    (the one under way, the newest finished one, or the published one); a finished run newer
    than the published one; and the answers to the published one-to-ones."""

    step: str
    run: MatchRun | None = None
    newer: MatchRun | None = None
    accepted: int = 0
    declined: int = 0
    pending: int = 0


def event_stage(session: Session, *, event: Event) -> Stage:
    """Where the event stands (two queries: its newest runs, and the published answers)."""
    runs = session.scalars(
        sa.select(MatchRun)
        .where(
            MatchRun.event_id == event.id,
            MatchRun.status.in_([*ACTIVE_JOB_STATUSES, JobStatus.DONE]),
        )
        .order_by(MatchRun.id.desc())
        .limit(3)
    ).all()
    active = next((r for r in runs if r.is_active), None)
    finished = next((r for r in runs if r.is_done), None)
    if event.published_run_id is None:
        if active is not None:
            return Stage("running", active)
        return Stage("ready", finished) if finished is not None else Stage("no_plan")
    answers = dict(
        session.execute(
            sa.select(MeetingSeat.response, sa.func.count())
            .join(Meeting)
            .where(
                Meeting.run_id == event.published_run_id,
                Meeting.kind == MeetingKind.ONE_TO_ONE,
                Meeting.cancelled_at.is_(None),
            )
            .group_by(MeetingSeat.response)
        ).all()
    )
    newer = finished if finished is not None and finished.id > event.published_run_id else None
    return Stage(
        "published",
        session.get(MatchRun, event.published_run_id),
        newer=newer,
        accepted=answers.get(Response.ACCEPTED, 0),
        declined=answers.get(Response.DECLINED, 0),
        pending=answers.get(Response.PENDING, 0),
    )

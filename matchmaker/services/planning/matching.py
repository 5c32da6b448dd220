"""Matching runs of an event.

A run is recorded (queued), executed outside the request (a thread, or an RQ worker), reports
its progress into its row, and writes its whole plan with its final status in one transaction:
a crash leaves every earlier plan as it was.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from matchmaker.catalogue import N_
from matchmaker.engine import model as engine
from matchmaker.engine.checks import check_plan
from matchmaker.engine.embedder import Embedder
from matchmaker.engine.inputs import InputError, check_fixed
from matchmaker.engine.planner import plan_event
from matchmaker.models import (
    Event,
    MatchRun,
    Meeting,
    MeetingSeat,
    Profile,
)
from matchmaker.services.core import jobs
from matchmaker.services.core.access import load_for_event
from matchmaker.services.core.jobs import begin_job, fail_job, finish_job
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.planning import embeddings
from matchmaker.services.planning.adapter import (
    around_published,
    describe,
    engine_inputs,
    location_key,
    names_of,
    pair_rules,
    person_key,
    published_meetings,
    read_attendees,
    row_id,
    slot_key,
)
from matchmaker.text import natural_key
from matchmaker.vocabulary import ACTIVE_JOB_STATUSES, JobStatus

ALREADY_RUNNING = "A matching run for this event is already under way. Wait for it to finish."

# The planner's phases (see engine.planner.PHASES), in order: the share of the run done when
# each begins, and the words people see.
PHASES = {
    "embedding": (2, N_("reading what profiles mean")),
    "reading": (5, N_("reading profiles")),
    "candidates": (10, N_("finding candidates")),
    "choosing": (40, N_("choosing pairs")),
    "pricing": (50, N_("proving the bound")),
    "scheduling": (80, N_("scheduling meetings")),
    "groups": (90, N_("forming groups")),
}


def active_run(session: Session, *, event_id: int) -> MatchRun | None:
    """The event's queued or running run, if any."""
    return session.scalar(
        sa.select(MatchRun).where(
            MatchRun.event_id == event_id, MatchRun.status.in_(ACTIVE_JOB_STATUSES)
        )
    )


def fail_stale_runs(
    session: Session,
    *,
    event_id: int | None,
    now: datetime,
    timeout: timedelta,
    queue_says: Callable[[list[int]], dict[int, str]] | None = None,
) -> int:
    """Mark failed the runs of an event (or of all, None) whose worker has stopped
    (jobs.fail_stale: a silent heartbeat, `timeout` waiting in a queue server, or a failure
    the queue server reports); flush only."""
    return jobs.fail_stale(
        session,
        MatchRun,
        where=MatchRun.event_id == event_id if event_id is not None else sa.true(),
        now=now,
        queue_timeout=timeout,
        queue_says=queue_says,
    )


def start_run(
    session: Session, *, event: Event, actor_id: int | None, now: datetime, timeout: timedelta
) -> MatchRun:
    """Record a queued run for an event (the caller hands it to a runner); Conflict if one
    is already queued or running, Invalid if the event has nothing to plan with."""
    # Lock the event row, so that two organisers starting at once cannot both pass the check.
    session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    fail_stale_runs(session, event_id=event.id, now=now, timeout=timeout)
    if active_run(session, event_id=event.id) is not None:
        raise Conflict(ALREADY_RUNNING)
    errors: dict[str, list[str]] = {}
    if not event.slots:
        errors["slots"] = ["Add time slots before running matching."]
    if not event.locations:
        errors["locations"] = ["Add tables or rooms before running matching."]
    filled = session.scalar(
        sa.select(sa.func.count(Profile.id)).where(
            Profile.event_id == event.id, Profile.can_be_matched()
        )
    )
    if filled < 2:
        errors["profiles"] = ["At least two attendees must fill in their profiles first."]
    if errors:
        raise Invalid(errors)
    run = MatchRun(
        event=event,
        started_by_id=actor_id,
        status=JobStatus.QUEUED,
        rules=pair_rules(session, event_id=event.id),
        created_at=now,
    )
    session.add(run)
    session.flush()
    return run


def progress_of(phase: str, done: int, total: int) -> tuple[int, str]:
    """The planner's progress as (percent, words for people): a phase's share of the run,
    filled as far as it has come (done of total)."""
    starts = [start for start, _ in PHASES.values()] + [100]
    names = list(PHASES)
    if phase not in PHASES:
        return 0, phase
    k = names.index(phase)
    start, words = PHASES[phase]
    span = starts[k + 1] - start
    return start + (span * done) // max(total, 1) if total else start, words


def _reporter(
    session: Session, run: MatchRun, on_progress: Callable[[int], None] | None
) -> Callable[[str, int, int], None]:
    def report(phase: str, done: int, total: int) -> None:
        percent, phrase = progress_of(phase, done, total)
        if (percent, phrase) != (run.progress, run.phase):
            run.progress, run.phase = max(percent, run.progress), phrase
            session.commit()
            if on_progress:
                on_progress(run.progress)

    return report


def execute_run(
    session: Session,
    *,
    run_id: int,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_progress: Callable[[int], None] | None = None,
    embedder: Embedder | None = None,
) -> MatchRun:
    """Plan the meetings of a queued run and store them with its status in one transaction;
    on any failure the run ends failed with the error, and no meeting of it is kept. After
    publishing, the run is a re-plan: it keeps the meetings people agreed to, that have begun
    or that the organiser placed, and the rest of the published plan where it still fits.
    With an `embedder` the semantic channel is on: stored vectors are used, missing ones
    computed."""
    run = session.get(MatchRun, run_id)
    if run is None:
        raise NotFound(f"There is no run {run_id}.")
    if run.status != JobStatus.QUEUED:
        return run  # a run is executed once (a queue may deliver a job twice)
    begin_job(run, clock(), N_("starting"))
    run.started_at = run.heartbeat_at
    session.commit()
    try:
        event = run.event
        report = _reporter(session, run, on_progress)
        attendees = read_attendees(session, event_id=event.id)
        if embedder is not None:
            vectors = embeddings.embed_profiles(
                session,
                {row_id(a.id): a for a in attendees},
                embedder,
                progress=lambda d, t: report("embedding", d, t),
            )
            attendees = embeddings.with_vectors(attendees, vectors)
        inputs, previous = around_published(
            session, event, attendees, lambda people: engine_inputs(event, people, run.rules),
            clock(),
        )  # fmt: skip
        try:
            check_fixed(inputs.event, inputs.attendees)
        except InputError as error:
            names = names_of(event, inputs.attendees)
            raise RuntimeError(
                f"A meeting people agreed to cannot be kept: {describe(str(error), names)}"
            ) from None
        plan = plan_event(
            inputs.event,
            inputs.attendees,
            progress=report,
            previous=previous,
            embed=None if embedder is None else embedder.embed,
        )
        problems = check_plan(inputs.event, inputs.attendees, plan)
        if problems:
            raise RuntimeError(f"The plan broke the event's rules: {problems[0]}")
        _store_plan(session, run, plan)
        if previous:
            _carry_history(session, event, run, clock())
        metrics = plan.to_dict()["metrics"]
        if previous:
            metrics["replan_of"] = event.published_run_id
        run.metrics = metrics
        finish_job(run, clock())
        session.commit()
    except Exception as error:  # noqa: BLE001 - any failure must end the run, not leave it running
        run = fail_job(session, MatchRun, run_id, error, clock())
    return run


def _store_plan(session: Session, run: MatchRun, plan: engine.Plan) -> None:
    for meeting in plan.meetings:
        row = Meeting(
            slot_id=row_id(meeting.slot),
            location_id=row_id(meeting.location),
            kind=meeting.kind,
            score=float(meeting.score),
            topic=meeting.topic[:200],
            reasons=list(meeting.reasons),
            starters=list(meeting.starters),
        )
        row.seats = [
            MeetingSeat(profile_id=row_id(person), position=k)
            for k, person in enumerate(meeting.attendees)
        ]
        run.meetings.append(row)
    session.flush()


def _carry_history(session: Session, event: Event, run: MatchRun, now: datetime) -> None:
    """Meetings of the published plan that have begun and that the planner could not take
    as they are (a partner has since deleted their account, a group shrank below its
    smallest size): copied into the new run as they are, so that history never changes."""
    planned = {(m.slot_id, frozenset(s.profile_id for s in m.seats)) for m in run.meetings}
    for old in published_meetings(session, event):
        key = (old.slot_id, frozenset(s.profile_id for s in old.seats))
        if old.slot.starts_at_aware() > now or key in planned:
            continue
        copy = Meeting(
            slot_id=old.slot_id, location_id=old.location_id, kind=old.kind, score=old.score,
            topic=old.topic, reasons=list(old.reasons), starters=list(old.starters),
            origin=old.origin, calendar_uid=old.calendar_uid, pinned=old.pinned,
        )  # fmt: skip
        copy.seats = [MeetingSeat(profile_id=s.profile_id, position=s.position) for s in old.seats]
        run.meetings.append(copy)
    session.flush()


def get_run(session: Session, *, event: Event, run_id: int) -> MatchRun:
    """One run of the event; NotFound if it is another event's."""
    missing = "There is no such run for this event."
    run = load_for_event(session, MatchRun, run_id, event_id=event.id, missing=missing)
    set_committed_value(run, "event", event)  # kept: the session holds it only weakly
    return run


def list_runs(session: Session, *, event: Event) -> list[MatchRun]:
    """An event's runs, newest first."""
    return list(
        session.scalars(
            sa.select(MatchRun).where(MatchRun.event_id == event.id).order_by(MatchRun.id.desc())
        )
    )


def run_meetings(
    session: Session, *, run_id: int, slot_id: int | None = None, people: list[int] | None = None
) -> list[Meeting]:
    """A run's meetings that take place (in one slot, or all; of some people, or everyone's)
    with their slot, location and people's names, in four queries, by time and then location
    (Table 2 before Table 10)."""
    query = (
        sa.select(Meeting)
        .where(Meeting.run_id == run_id, Meeting.cancelled_at.is_(None))
        .options(
            selectinload(Meeting.slot),
            selectinload(Meeting.location),
            selectinload(Meeting.seats)
            .selectinload(MeetingSeat.profile)
            .load_only(Profile.id, Profile.name, Profile.user_id),
        )
    )
    if slot_id is not None:
        query = query.where(Meeting.slot_id == slot_id)
    if people is not None:
        seated = sa.select(MeetingSeat.meeting_id).where(MeetingSeat.profile_id.in_(people))
        query = query.where(Meeting.id.in_(seated))
    meetings = session.scalars(query).all()
    return sorted(meetings, key=lambda m: (m.slot.starts_at, natural_key(m.location.name), m.id))


def as_engine_plan(meetings: list[Meeting]) -> dict:
    """Stored meetings as the engine's plan, the form its checker reads."""
    return {
        "meetings": [
            {
                "slot": slot_key(m.slot_id),
                "location": location_key(m.location_id),
                "attendees": [person_key(s.profile_id) for s in m.seats],
                "kind": m.kind,
            }
            for m in meetings
        ]
    }


def check_run(session: Session, *, event: Event, run_id: int) -> list[str]:
    """What the engine's checker finds wrong with a run's meetings that take place, against
    the event's profiles and rules as they stand."""
    attendees = read_attendees(session, event_id=event.id)
    inputs = engine_inputs(event, attendees, pair_rules(session, event_id=event.id))
    plan = as_engine_plan(run_meetings(session, run_id=run_id))
    return check_plan(inputs.event, inputs.attendees, plan)

"""Matching runs: the one adapter between an event's rows and the engine.

A run is recorded (queued), executed outside the request (a thread, or an RQ worker), reports
its progress into its row, and writes its whole plan with its final status in one transaction:
a crash leaves every earlier plan as it was.
"""

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from matchmaker.engine import model as engine
from matchmaker.engine.checks import check_plan
from matchmaker.engine.embedder import Embedder
from matchmaker.engine.planner import plan_event
from matchmaker.models import (
    Event,
    EventOrganiser,
    MatchRun,
    Meeting,
    MeetingSeat,
    PairRuleRow,
    Profile,
    ProfileIntent,
    Slot,
    Tag,
    profile_slots,
    profile_tags,
)
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.planning import embeddings
from matchmaker.services.setup.events import load_event_for_organiser, load_for_event
from matchmaker.services.setup.timetable import natural_key
from matchmaker.vocabulary import ACTIVE_RUN_STATUSES, PairRule, RunStatus

ALREADY_RUNNING = "A matching run for this event is already under way. Wait for it to finish."
STALE = "The run stopped answering (its worker was stopped or lost) and was marked failed."

# The planner's phases (see engine.planner.PHASES), in order: the share of the run done when
# each begins, and the words people see.
PHASES = {
    "embedding": (2, "reading what profiles mean"),
    "reading": (5, "reading profiles"),
    "candidates": (10, "finding candidates"),
    "choosing": (40, "choosing pairs"),
    "pricing": (50, "proving the bound"),
    "scheduling": (80, "scheduling meetings"),
    "groups": (90, "forming groups"),
}


# The engine's ids for rows: a letter for the kind, so that its messages can be told apart
# and put in people's words (see `describe`).
def person_key(profile_id: int) -> str:
    return f"p{profile_id}"


def slot_key(slot_id: int) -> str:
    return f"s{slot_id}"


def location_key(location_id: int) -> str:
    return f"l{location_id}"


def row_id(key: str) -> int:
    return int(key[1:])


def describe(message: str, names: dict[str, str]) -> str:
    """An engine message with its ids replaced by the names of people, slots and places."""
    return re.sub(r"\b[psl]\d+\b", lambda m: names.get(m.group(0), m.group(0)), message)


def names_of(event: Event, profiles: list[Profile]) -> dict[str, str]:
    """The names `describe` uses for an event's ids."""
    names = {person_key(p.id): p.name for p in profiles}
    names.update({slot_key(s.id): s.starts_at.strftime("%a %H:%M") for s in event.slots})
    names.update({location_key(loc.id): loc.name for loc in event.locations})
    return names


@dataclass(frozen=True)
class EngineInputs:
    event: engine.Event
    attendees: list[engine.Attendee]


def load_event(session: Session, event_id: int, actor_id: int | None) -> Event:
    """The event for its organiser; actor None is the command line, which has the database."""
    if actor_id is None:
        event = session.get(Event, event_id)
        if event is None:
            raise NotFound("There is no such event.")
        return event
    return load_event_for_organiser(session, event_id=event_id, actor_id=actor_id)


def pair_rules(session: Session, *, event_id: int) -> dict[str, list[list[int]]]:
    """The event's rules on pairs, as profile-id pairs per rule (what a run records)."""
    rows = session.execute(
        sa.select(PairRuleRow.rule, PairRuleRow.first_id, PairRuleRow.second_id)
        .where(PairRuleRow.event_id == event_id)
        .order_by(PairRuleRow.first_id, PairRuleRow.second_id)
    )
    rules: dict[str, list[list[int]]] = {str(rule): [] for rule in PairRule}
    for rule, first, second in rows:
        rules[rule].append([first, second])
    return rules


def matched_profiles(
    session: Session, *, event_id: int, ids: list[int] | None = None
) -> list[Profile]:
    """The profiles a run plans for: every filled-in profile of the event that is not hidden
    from introductions (or those of them with these ids), by id."""
    query = sa.select(Profile).where(
        Profile.event_id == event_id, Profile.completed_at.is_not(None), ~Profile.hidden
    )
    if ids is not None:
        query = query.where(Profile.id.in_(ids))
    return list(
        session.scalars(
            query.options(
                selectinload(Profile.tags),
                selectinload(Profile.intents),
                selectinload(Profile.available_slots),
            ).order_by(Profile.id)
        )
    )


def engine_attendee(p: Profile, vector=None) -> engine.Attendee:
    """The engine's view of one profile (tags, intents and slots loaded), with its sentence
    embedding when given."""
    return engine.Attendee(
        id=person_key(p.id),
        name=p.name,
        company=p.company,
        headline=p.headline,
        bio=p.bio,
        interests=tuple(t.name for t in p.tags),
        seeks=tuple(p.intent_names("seeks")),
        offers=tuple(p.intent_names("offers")),
        looking_for=p.looking_for,
        can_help=p.can_help,
        format=p.format,
        available=frozenset(slot_key(s.id) for s in p.available_slots),
        max_meetings=p.max_meetings,
        vector=vector,
    )


def engine_attendees(
    session: Session, *, event_id: int, ids: list[int] | None = None
) -> list[engine.Attendee]:
    """The engine's view of the profiles a run plans for (or those of them with these ids),
    by id, read as rows in four queries (runs and refills: loading thousands of ORM profiles
    with their tags, intents and slots takes seconds)."""
    wanted = None if ids is None else set(ids)
    rows = session.execute(
        sa.select(
            Profile.id, Profile.name, Profile.company, Profile.headline, Profile.bio,
            Profile.looking_for, Profile.can_help, Profile.format, Profile.max_meetings,
        )
        .where(Profile.event_id == event_id, Profile.completed_at.is_not(None), ~Profile.hidden)
        .order_by(Profile.id)
    ).all()  # fmt: skip
    rows = [r for r in rows if wanted is None or r.id in wanted]
    interests: dict[int, list[str]] = {}
    for profile_id, name in session.execute(
        sa.select(profile_tags.c.profile_id, Tag.name)
        .join(Tag, Tag.id == profile_tags.c.tag_id)
        .where(Tag.event_id == event_id)
        .order_by(Tag.name)
    ):
        interests.setdefault(profile_id, []).append(name)
    intents: dict[tuple[int, str], list[str]] = {}
    for profile_id, direction, intent in session.execute(
        sa.select(ProfileIntent.profile_id, ProfileIntent.direction, ProfileIntent.intent)
        .join(Profile, Profile.id == ProfileIntent.profile_id)
        .where(Profile.event_id == event_id)
        .order_by(ProfileIntent.intent)
    ):
        intents.setdefault((profile_id, direction), []).append(intent)
    free: dict[int, set[str]] = {}
    for profile_id, slot_id in session.execute(
        sa.select(profile_slots.c.profile_id, profile_slots.c.slot_id)
        .join(Slot, Slot.id == profile_slots.c.slot_id)
        .where(Slot.event_id == event_id)
    ):
        free.setdefault(profile_id, set()).add(slot_key(slot_id))
    return [
        engine.Attendee(
            id=person_key(r.id), name=r.name, company=r.company, headline=r.headline,
            bio=r.bio, interests=tuple(interests.get(r.id, ())),
            seeks=tuple(intents.get((r.id, "seeks"), ())),
            offers=tuple(intents.get((r.id, "offers"), ())),
            looking_for=r.looking_for, can_help=r.can_help, format=r.format,
            available=frozenset(free.get(r.id, ())), max_meetings=r.max_meetings,
        )
        for r in rows
    ]  # fmt: skip


def engine_inputs(
    event: Event, profiles: list[Profile], rules: dict, vectors: dict | None = None
) -> EngineInputs:
    """The engine's view of an event: slots with aware datetimes, locations, attendees (with
    their embeddings from `vectors`, by profile id), and the organiser's rules on pairs (ids:
    see `person_key` and its siblings)."""
    attendees = [engine_attendee(p, (vectors or {}).get(p.id)) for p in profiles]
    return engine_inputs_of(event, attendees, rules)


def engine_inputs_of(event: Event, attendees: list[engine.Attendee], rules: dict) -> EngineInputs:
    """`engine_inputs` for attendees already in the engine's terms."""
    slots = tuple(
        engine.Slot(slot_key(s.id), s.starts_at_aware(), s.ends_at_aware(), s.format)
        for s in event.slots
    )
    locations = tuple(
        engine.Location(location_key(loc.id), loc.capacity) for loc in event.locations
    )
    known = {row_id(a.id) for a in attendees}

    def pairs(rule: str) -> tuple[tuple[str, str], ...]:
        return tuple(
            (person_key(a), person_key(b))
            for a, b in rules.get(rule, [])
            if a in known and b in known
        )

    return EngineInputs(
        event=engine.Event(
            slots=slots,
            locations=locations,
            max_meetings=event.max_meetings,
            group_size=(event.group_size_min, event.group_size_max),
            seed=event.id,
            constraints=engine.Constraints(
                together=pairs(PairRule.TOGETHER),
                apart=pairs(PairRule.APART),
                met_before=pairs(PairRule.MET_BEFORE),
            ),
        ),
        attendees=attendees,
    )


def active_run(session: Session, *, event_id: int) -> MatchRun | None:
    """The event's queued or running run, if any."""
    return session.scalar(
        sa.select(MatchRun).where(
            MatchRun.event_id == event_id, MatchRun.status.in_(ACTIVE_RUN_STATUSES)
        )
    )


def fail_stale_runs(session: Session, *, event_id: int, now: datetime, timeout: timedelta) -> int:
    """Mark failed the runs of an event that have been queued or running longer than
    `timeout` (a worker that was killed never reports back); flush only."""
    stale = session.scalars(
        sa.select(MatchRun).where(
            MatchRun.event_id == event_id,
            MatchRun.status.in_(ACTIVE_RUN_STATUSES),
            MatchRun.created_at < now - timeout,
        )
    ).all()
    for run in stale:
        run.status, run.error, run.finished_at = RunStatus.FAILED, STALE, now
    session.flush()
    return len(stale)


def start_run(
    session: Session, *, event_id: int, actor_id: int | None, now: datetime, timeout: timedelta
) -> MatchRun:
    """Record a queued run for an event (the caller hands it to a runner); Conflict if one
    is already queued or running, Invalid if the event has nothing to plan with."""
    event = load_event(session, event_id, actor_id)
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
            Profile.event_id == event.id, Profile.completed_at.is_not(None), ~Profile.hidden
        )
    )
    if filled < 2:
        errors["profiles"] = ["At least two attendees must fill in their profiles first."]
    if errors:
        raise Invalid(errors)
    run = MatchRun(
        event=event,
        started_by_id=actor_id,
        status=RunStatus.QUEUED,
        rules=pair_rules(session, event_id=event.id),
        created_at=now,
    )
    session.add(run)
    session.commit()
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
    on any failure the run ends failed with the error, and no meeting of it is kept. With an
    `embedder` the semantic channel is on: stored vectors are used, missing ones computed."""
    run = session.get(MatchRun, run_id)
    if run is None:
        raise NotFound(f"There is no run {run_id}.")
    if run.status != RunStatus.QUEUED:
        return run  # a run is executed once (a queue may deliver a job twice)
    run.status, run.started_at, run.progress, run.phase = RunStatus.RUNNING, clock(), 1, "starting"
    session.commit()
    try:
        event = run.event
        report = _reporter(session, run, on_progress)
        attendees = engine_attendees(session, event_id=event.id)
        if embedder is not None:
            vectors = embeddings.embed_profiles(
                session,
                {row_id(a.id): a for a in attendees},
                embedder,
                progress=lambda d, t: report("embedding", d, t),
            )
            attendees = [dataclasses.replace(a, vector=vectors[row_id(a.id)]) for a in attendees]
        inputs = engine_inputs_of(event, attendees, run.rules)
        plan = plan_event(inputs.event, inputs.attendees, progress=report)
        problems = check_plan(inputs.event, inputs.attendees, plan)
        if problems:
            raise RuntimeError(f"The plan broke the event's rules: {problems[0]}")
        _store_plan(session, run, plan)
        run.status, run.progress, run.phase = RunStatus.DONE, 100, "done"
        run.metrics, run.finished_at = plan.to_dict()["metrics"], clock()
        session.commit()
    except Exception as error:  # noqa: BLE001 - any failure must end the run, not leave it running
        session.rollback()
        run = session.get(MatchRun, run_id)
        run.status, run.finished_at = RunStatus.FAILED, clock()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        session.commit()
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


def get_run(session: Session, *, event_id: int, run_id: int, actor_id: int | None) -> MatchRun:
    """One run of an event, for its organisers."""
    if actor_id is not None:
        values = {"run_id": run_id, "event_id": event_id, "actor_id": actor_id}
        if (run := session.scalar(_organised_run(), values)) is not None:
            return run
    event = load_event(session, event_id, actor_id)  # NotFound if it is not theirs
    missing = "There is no such run for this event."
    run = load_for_event(session, MatchRun, run_id, event_id=event_id, missing=missing)
    set_committed_value(run, "event", event)  # kept: the session holds it only weakly
    return run


@functools.cache
def _organised_run() -> sa.Select:
    """A run with its event (and the event's revision) if the actor organises the event: one
    query, built once."""
    return (
        sa.select(MatchRun)
        .join(Event, Event.id == MatchRun.event_id)
        .join(
            EventOrganiser,
            (EventOrganiser.event_id == Event.id)
            & (EventOrganiser.user_id == sa.bindparam("actor_id")),
        )
        .where(MatchRun.id == sa.bindparam("run_id"), Event.id == sa.bindparam("event_id"))
        .options(contains_eager(MatchRun.event).undefer(Event.revision))
    )


def list_runs(session: Session, *, event_id: int, actor_id: int) -> list[MatchRun]:
    """An event's runs, newest first."""
    load_event(session, event_id, actor_id)
    return list(
        session.scalars(
            sa.select(MatchRun).where(MatchRun.event_id == event_id).order_by(MatchRun.id.desc())
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
    inputs = engine_inputs(
        event, matched_profiles(session, event_id=event.id), pair_rules(session, event_id=event.id)
    )
    plan = as_engine_plan(run_meetings(session, run_id=run_id))
    return check_plan(inputs.event, inputs.attendees, plan)

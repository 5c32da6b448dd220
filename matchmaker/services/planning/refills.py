"""Refilling a slot for the people a declined or cancelled meeting freed: a small re-match of
that slot only, by the engine's refill, judged by the engine's checker before it is stored."""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.engine import model as engine
from matchmaker.engine.checks import check_plan
from matchmaker.engine.refill import refill_slot
from matchmaker.models import MatchRun, Meeting, MeetingSeat, Profile, Slot, profile_slots
from matchmaker.services.planning import adapter
from matchmaker.services.planning.event_model import event_model
from matchmaker.vocabulary import (
    AfterDeadline,
    AttendeeFormat,
    MeetingKind,
    MeetingOrigin,
    Response,
)


def _taking_place(run: MatchRun):
    return (Meeting.run_id == run.id) & Meeting.cancelled_at.is_(None)


def _engine_meetings(session: Session, run: MatchRun, where) -> list[engine.Meeting]:
    """The run's meetings that take place and match `where`, as the engine reads them."""
    rows = session.execute(
        sa.select(
            Meeting.id, Meeting.slot_id, Meeting.location_id, Meeting.kind,
            MeetingSeat.profile_id,
        )
        .join(MeetingSeat, MeetingSeat.meeting_id == Meeting.id)
        .where(_taking_place(run), where)
        .order_by(Meeting.id, MeetingSeat.position)
    ).all()  # fmt: skip
    people: dict[int, list[str]] = defaultdict(list)
    heads: dict[int, tuple] = {}
    for meeting_id, slot, location, kind, profile_id in rows:
        people[meeting_id].append(adapter.person_key(profile_id))
        heads[meeting_id] = (slot, location, kind)
    return [
        engine.Meeting(
            slot=adapter.slot_key(slot),
            location=adapter.location_key(location),
            attendees=tuple(people[m]),
            kind=kind,
            score=0.0,
        )
        for m, (slot, location, kind) in heads.items()
    ]


class SlotView:
    """What a refill of one slot needs of a run's plan, read in a few narrow queries (a
    5,000-person plan is never read whole): who could take a meeting then, the meetings in
    the slot, and the pairs the freed people already had."""

    def __init__(self, session: Session, run: MatchRun, slot_id: int, freed: list[int]):
        self.open_ids = self._open_people(session, run, slot_id)
        self.meetings = _engine_meetings(session, run, Meeting.slot_id == slot_id)
        mine, theirs = sa.orm.aliased(MeetingSeat), sa.orm.aliased(MeetingSeat)
        together = (theirs.meeting_id == mine.meeting_id) & (theirs.profile_id != mine.profile_id)
        met = session.execute(
            sa.select(mine.profile_id, theirs.profile_id)
            .join(theirs, together)
            .join(Meeting, Meeting.id == mine.meeting_id)
            .where(Meeting.run_id == run.id, mine.profile_id.in_(freed))
        ).all()
        self.seen = {frozenset((adapter.person_key(a), adapter.person_key(b))) for a, b in met}

    def around(self, session: Session, run: MatchRun, people: list[int]) -> list[engine.Meeting]:
        """The part of the plan new meetings of `people` touch: the slot, and every meeting
        of those people (their caps, their pairs)."""
        seated = sa.select(MeetingSeat.meeting_id).where(MeetingSeat.profile_id.in_(people))
        theirs = _engine_meetings(session, run, Meeting.id.in_(seated))
        known = {(m.slot, m.location, m.attendees) for m in self.meetings}
        return self.meetings + [m for m in theirs if (m.slot, m.location, m.attendees) not in known]

    @staticmethod
    def _open_people(session: Session, run: MatchRun, slot_id: int) -> list[int]:
        """Filled-in, shown profiles that want one-to-ones, are free in the slot and are
        under their cap (the engine checks each of these again)."""
        event = run.event
        taken = (
            sa.select(MeetingSeat.profile_id, sa.func.count().label("meetings"))
            .join(Meeting)
            .where(_taking_place(run), Meeting.kind == MeetingKind.ONE_TO_ONE)
            .group_by(MeetingSeat.profile_id)
            .subquery()
        )
        busy = (
            sa.select(MeetingSeat.profile_id)
            .join(Meeting)
            .where(_taking_place(run), Meeting.slot_id == slot_id)
        )
        free_then = (profile_slots.c.profile_id == Profile.id) & (
            profile_slots.c.slot_id == slot_id
        )
        return list(
            session.scalars(
                sa.select(Profile.id)
                .join(profile_slots, free_then)
                .outerjoin(taken, taken.c.profile_id == Profile.id)
                .where(
                    Profile.event_id == event.id,
                    Profile.can_be_matched(),
                    Profile.format.in_([AttendeeFormat.ONE_TO_ONE, AttendeeFormat.ANY]),
                    Profile.id.not_in(busy),
                    sa.func.coalesce(taken.c.meetings, 0) < Profile.meeting_cap(event.max_meetings),
                )
                .order_by(Profile.id)
            )
        )


def _rule_view(session: Session, event_id: int, ids: list[int]) -> list[engine.Attendee]:
    """These profiles as the checker needs them: format, cap, free slots."""
    free: dict[int, set[str]] = defaultdict(set)
    rows = session.execute(
        sa.select(profile_slots.c.profile_id, profile_slots.c.slot_id).where(
            profile_slots.c.profile_id.in_(ids)
        )
    )
    for profile_id, slot_id in rows:
        free[profile_id].add(adapter.slot_key(slot_id))
    profiles = session.execute(
        sa.select(Profile.id, Profile.format, Profile.max_meetings).where(
            Profile.event_id == event_id, Profile.id.in_(ids)
        )
    )
    return [
        engine.Attendee(
            id=adapter.person_key(pid),
            format=fmt,
            available=frozenset(free[pid]),
            max_meetings=cap,
        )
        for pid, fmt, cap in profiles
    ]


def lock_run(session: Session, run_id: int) -> None:
    """Wait for, then hold until the transaction ends, the run's row: what refills (and the
    declines that lead to them) take one at a time."""
    session.execute(sa.select(MatchRun.id).where(MatchRun.id == run_id).with_for_update())


def refill_slot_of(
    session: Session, *, run: MatchRun, slot_id: int, freed: list[int], now: datetime
) -> list[Meeting]:
    """Offer the `freed` attendees (profile ids) new one-to-one meetings in the slot, if it
    is still to come; store them as proposals (flush only) and return them. Refills are made
    one at a time per run (the run's row is locked), so two never take the same table."""
    lock_run(session, run.id)
    event = run.event
    slot = session.get(Slot, slot_id)
    deadline = event.response_deadline_aware()
    late = deadline is not None and now >= deadline
    if slot is None or slot.starts_at_aware() <= now:
        return []
    if late and event.after_deadline == AfterDeadline.DROP:
        return []
    plan = SlotView(session, run, slot_id, freed)
    rules = adapter.pair_rules(session, event_id=event.id)
    for rule, pairs in run.rules.items():
        rules.setdefault(rule, []).extend(pairs)
    key = adapter.slot_key(slot_id)
    known = event_model(session, event)
    people = known.attendees([adapter.person_key(p) for p in plan.open_ids])
    inputs = adapter.engine_inputs(event, people, rules)
    wanted = [adapter.person_key(p) for p in freed]
    made = refill_slot(
        inputs.event, inputs.attendees, plan.meetings, key, wanted, plan.seen, model=known.model
    )
    if not made:
        return []
    # The checker reads the part of the plan the new meetings touch.
    touched = sorted({adapter.row_id(p) for m in made for p in m.attendees})
    around = plan.around(session, run, touched)
    everyone = sorted({p for m in around + list(made) for p in m.attendees})
    checked = known.attendees(everyone)
    missing = sorted(
        {adapter.row_id(p) for p in everyone} - {adapter.row_id(a.id) for a in checked}
    )
    checked += _rule_view(session, event.id, missing) if missing else []
    before = set(check_plan(inputs.event, checked, engine.Plan(tuple(around))))
    after = check_plan(inputs.event, checked, engine.Plan((*around, *made)))
    broken = [p for p in after if p not in before]
    if broken:
        raise RuntimeError(f"A refill would break the plan's rules: {broken[0]}")
    answer = Response.ACCEPTED if late else Response.PENDING
    rows = []
    for meeting in made:
        row = Meeting(
            run_id=run.id,
            slot_id=slot_id,
            location_id=adapter.row_id(meeting.location),
            kind=meeting.kind,
            score=float(meeting.score),
            topic=meeting.topic[:200],
            reasons=list(meeting.reasons),
            starters=list(meeting.starters),
            origin=MeetingOrigin.REFILL,
        )
        row.seats = [
            MeetingSeat(profile_id=adapter.row_id(p), position=k, response=answer)
            for k, p in enumerate(meeting.attendees)
        ]
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def take_out(
    session: Session, meeting: Meeting, *, freed: list[int], now: datetime, refill: bool = True
) -> list[Meeting]:
    """Mark a meeting as no longer taking place and (with `refill`) offer the people it freed
    new meetings in its slot; flush only. Returns the new meetings."""
    meeting.cancelled_at = now
    session.flush()
    if not refill:
        return []
    return refill_slot_of(session, run=meeting.run, slot_id=meeting.slot_id, freed=freed, now=now)

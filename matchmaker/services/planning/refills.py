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
from matchmaker.services.core import calendar_ids
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
    """What a refill of some slots needs of a run's plan, read in a few narrow queries (a
    5,000-person plan is never read whole): per slot, who could take a meeting then and the
    meetings in it; and the pairs the freed people already had."""

    def __init__(
        self,
        session: Session,
        run: MatchRun,
        slot_ids: list[int],
        freed: list[int],
        among: list[int] | None = None,
    ):
        # Who could take a meeting: everyone, or only `among` (profile ids) when given.
        self.open_ids = self._open_people(session, run, slot_ids, among)
        # The tables taken in each slot, as meetings without people: what a refill needs of
        # them (who is busy, and who is at their cap, the query above has said already).
        self.meetings: dict[int, list[engine.Meeting]] = {s: [] for s in slot_ids}
        for slot_id, location_id, kind in session.execute(
            sa.select(Meeting.slot_id, Meeting.location_id, Meeting.kind).where(
                _taking_place(run), Meeting.slot_id.in_(slot_ids)
            )
        ):
            self.meetings[slot_id].append(
                engine.Meeting(
                    adapter.slot_key(slot_id), adapter.location_key(location_id), (), kind, 0.0
                )
            )
        mine, theirs = sa.orm.aliased(MeetingSeat), sa.orm.aliased(MeetingSeat)
        together = (theirs.meeting_id == mine.meeting_id) & (theirs.profile_id != mine.profile_id)
        met = session.execute(
            sa.select(mine.profile_id, theirs.profile_id)
            .join(theirs, together)
            .join(Meeting, Meeting.id == mine.meeting_id)
            .where(Meeting.run_id == run.id, mine.profile_id.in_(freed))
        ).all()
        self.seen = {frozenset((adapter.person_key(a), adapter.person_key(b))) for a, b in met}

    @staticmethod
    def _open_people(
        session: Session, run: MatchRun, slot_ids: list[int], among: list[int] | None = None
    ) -> dict[int, list[int]]:
        """Per slot, the filled-in, shown profiles that want one-to-ones, are free in it and
        are under their cap (the engine checks each of these again)."""
        event = run.event
        taken = (
            sa.select(MeetingSeat.profile_id, sa.func.count().label("meetings"))
            .join(Meeting)
            .where(_taking_place(run), Meeting.kind == MeetingKind.ONE_TO_ONE)
            .where(sa.true() if among is None else MeetingSeat.profile_id.in_(among))
            .group_by(MeetingSeat.profile_id)
            .subquery()
        )
        busy = (
            sa.select(MeetingSeat.profile_id)
            .join(Meeting)
            .where(
                _taking_place(run),
                Meeting.slot_id == profile_slots.c.slot_id,
                MeetingSeat.profile_id == Profile.id,
            )
            .exists()
        )
        found: dict[int, list[int]] = {s: [] for s in slot_ids}
        who = sa.true() if among is None else Profile.id.in_(among)
        for slot_id, profile_id in session.execute(
            sa.select(profile_slots.c.slot_id, Profile.id)
            .join(profile_slots, profile_slots.c.profile_id == Profile.id)
            .outerjoin(taken, taken.c.profile_id == Profile.id)
            .where(
                who,
                profile_slots.c.slot_id.in_(slot_ids),
                Profile.event_id == event.id,
                Profile.can_be_matched(),
                Profile.format.in_([AttendeeFormat.ONE_TO_ONE, AttendeeFormat.ANY]),
                ~busy,
                sa.func.coalesce(taken.c.meetings, 0) < Profile.meeting_cap(event.max_meetings),
            )
            .order_by(profile_slots.c.slot_id, Profile.id)
        ):
            found[slot_id].append(profile_id)
        return found


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


def rules_of(session: Session, run: MatchRun) -> dict[str, list]:
    """The pair rules a change to the run's plan keeps: the event's as they are now, and
    those the run was planned with."""
    rules = adapter.pair_rules(session, event_id=run.event_id)
    for rule, pairs in run.rules.items():
        rules.setdefault(rule, []).extend(pairs)
    return rules


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
    return refill_slots(session, run=run, slot_ids=[slot_id], freed=freed, now=now)


def refill_slots(
    session: Session,
    *,
    run: MatchRun,
    slot_ids: list[int],
    freed: list[int],
    now: datetime,
    most: int | None = None,
) -> list[Meeting]:
    """Offer the `freed` attendees new one-to-one meetings in each of these slots still to
    come, in time order (at most `most` each when given: a late joiner's cap), judged by the
    checker once and stored as proposals (flush only)."""
    lock_run(session, run.id)
    event = run.event
    deadline = event.response_deadline_aware()
    late = deadline is not None and now >= deadline
    if late and event.after_deadline == AfterDeadline.DROP:
        return []
    slots = sorted(
        (s for s in (session.get(Slot, i) for i in slot_ids) if s is not None),
        key=lambda s: (s.starts_at, s.id),
    )
    slots = [
        s
        for s in slots
        if s.starts_at_aware() > now and s.event_id == event.id and s.retired_at is None
    ]
    if not slots:
        return []
    view = SlotView(session, run, [s.id for s in slots], freed)
    rules = rules_of(session, run)
    known = event_model(session, event)
    everyone_open = sorted({p for ids in view.open_ids.values() for p in ids})
    inputs = adapter.engine_inputs(
        event, known.attendees([adapter.person_key(p) for p in everyone_open]), rules
    )
    by_id = {a.id: a for a in inputs.attendees}
    wanted = [adapter.person_key(p) for p in freed]
    made: list[tuple[int, engine.Meeting]] = []
    seen = set(view.seen)
    for slot in slots:
        count = {p: sum(p in m.attendees for _, m in made) for p in wanted}
        seekers = [p for p in wanted if most is None or count[p] < most]
        if not seekers:
            break
        keys = (adapter.person_key(p) for p in view.open_ids[slot.id])
        people = [by_id[k] for k in keys if k in by_id]
        for meeting in refill_slot(
            inputs.event, people, view.meetings[slot.id], adapter.slot_key(slot.id), seekers,
            seen, model=known.model,
        ):  # fmt: skip
            made.append((slot.id, meeting))
            seen.add(frozenset(meeting.attendees))
    if not made:
        return []
    check_new_meetings(session, run, inputs.event, [m for _, m in made])
    answer = Response.ACCEPTED if late else Response.PENDING
    rows = [
        meeting_row(run, meeting, MeetingOrigin.REFILL, {p: answer for p in meeting.attendees})
        for _, meeting in made
    ]
    session.add_all(rows)
    session.flush()
    return rows


def meeting_row(
    run: MatchRun,
    meeting: engine.Meeting,
    origin: str,
    answers: dict[str, str],
    answered_at: dict[str, datetime] | None = None,
) -> Meeting:
    """A new meeting of the engine's as a row of the run, each seat with its person's answer
    (by engine id) and, where given, when they gave it."""
    row = Meeting(
        run_id=run.id,
        slot_id=adapter.row_id(meeting.slot),
        location_id=adapter.row_id(meeting.location),
        kind=meeting.kind,
        score=float(meeting.score),
        topic=meeting.topic[:200],
        reasons=list(meeting.reasons),
        starters=list(meeting.starters),
        origin=origin,
    )
    row.seats = [
        MeetingSeat(
            profile_id=adapter.row_id(p),
            position=k,
            response=answers[p],
            responded_at=(answered_at or {}).get(p),
        )
        for k, p in enumerate(meeting.attendees)
    ]
    return row


def _around(session: Session, run: MatchRun, made: list[engine.Meeting]) -> list[engine.Meeting]:
    """The part of the plan new meetings touch: every meeting of the people they seat
    (their slots, caps and pairs), and the meetings at their tables in their slots."""
    people = sorted({adapter.row_id(p) for m in made for p in m.attendees})
    places = [(adapter.row_id(m.slot), adapter.row_id(m.location)) for m in made]
    seated = sa.select(MeetingSeat.meeting_id).where(MeetingSeat.profile_id.in_(people))
    there = sa.tuple_(Meeting.slot_id, Meeting.location_id).in_(places)
    return _engine_meetings(session, run, Meeting.id.in_(seated) | there)


def plan_near(
    session: Session, run: MatchRun, *, people: list[int], slot_ids: list[int], leaving_out: int
) -> list[engine.Meeting]:
    """The run's meetings that take place and seat any of `people` (profile ids) or are in
    any of `slot_ids`, but the meeting `leaving_out`, as the engine reads them."""
    seated = sa.select(MeetingSeat.meeting_id).where(MeetingSeat.profile_id.in_(people))
    near = Meeting.id.in_(seated) | Meeting.slot_id.in_(slot_ids)
    return _engine_meetings(session, run, near & (Meeting.id != leaving_out))


def as_engine_meeting(meeting: Meeting) -> engine.Meeting:
    """A stored meeting as `plan_near` and the checker read it."""
    return engine.Meeting(
        slot=adapter.slot_key(meeting.slot_id),
        location=adapter.location_key(meeting.location_id),
        attendees=tuple(adapter.person_key(s.profile_id) for s in meeting.seats),
        kind=meeting.kind,
        score=0.0,
    )


def slots_to_come(event, now: datetime, kind: str = MeetingKind.ONE_TO_ONE) -> list[Slot]:
    """The event's slots of this kind that have not begun, in time order."""
    return sorted(
        (
            s
            for s in event.slots
            if s.format == kind and s.retired_at is None and s.starts_at_aware() > now
        ),
        key=lambda s: (s.starts_at, s.id),
    )


def check_new_meetings(
    session: Session,
    run: MatchRun,
    event: engine.Event,
    made: list[engine.Meeting],
    *,
    replacing: engine.Meeting | None = None,
) -> None:
    """The checker on the part of the plan new meetings touch (with `replacing`: a meeting
    of the plan they take the place of, as `as_engine_meeting` reads it), its people's
    formats, caps and free times read as they are now; RuntimeError on any rule they would
    break."""
    around = _around(session, run, made)
    if replacing is not None:
        around = [m for m in around if m != replacing] + [replacing]
    everyone = sorted({adapter.row_id(p) for m in around + made for p in m.attendees})
    checked = _rule_view(session, run.event_id, everyone)
    before = set(check_plan(event, checked, engine.Plan(tuple(around))))
    kept = [m for m in around if m is not replacing]
    after = check_plan(event, checked, engine.Plan((*kept, *made)))
    broken = [p for p in after if p not in before]
    if broken:
        raise RuntimeError(f"A refill would break the plan's rules: {broken[0]}")


def take_out(
    session: Session, meeting: Meeting, *, freed: list[int], now: datetime, refill: bool = True
) -> list[Meeting]:
    """Mark a meeting as no longer taking place and (with `refill`) offer the people it freed
    new meetings in its slot; flush only. Returns the new meetings."""
    calendar_ids.cancel(meeting, now)
    session.flush()
    if not refill:
        return []
    return refill_slot_of(session, run=meeting.run, slot_id=meeting.slot_id, freed=freed, now=now)


def leave(
    session: Session, event, meeting: Meeting, profile_id: int, *, now: datetime
) -> list[Meeting]:
    """Take one person out of a meeting that has not begun: a one-to-one, or a group that
    would fall under the event's smallest size, no longer takes place (a one-to-one partner
    is offered another meeting in the slot); a larger group meets without them. Flush only;
    returns the new meetings."""
    partners = [s.profile_id for s in meeting.seats if s.profile_id != profile_id]
    one_to_one = meeting.kind == MeetingKind.ONE_TO_ONE
    if one_to_one or len(partners) < event.group_size_min:
        return take_out(session, meeting, freed=partners, now=now, refill=one_to_one)
    calendar_ids.freeze(event, meeting)
    meeting.seats = [s for s in meeting.seats if s.profile_id != profile_id]
    meeting.sequence += 1
    session.flush()
    return []

"""Refilling a slot for the people a declined or cancelled meeting freed: a small re-match of
that slot only, by the engine's refill, judged by the engine's checker before it is stored."""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.engine import model as engine
from matchmaker.engine.checks import check_plan
from matchmaker.engine.refill import open_for_one_to_one, refill_slot
from matchmaker.models import MatchRun, Meeting, MeetingSeat, Profile, Slot, profile_slots
from matchmaker.services import matching
from matchmaker.vocabulary import AfterDeadline, MeetingOrigin, Response


class PlanView:
    """A run's plan read for a refill in a few light queries: the meetings that take place,
    every pair that had a meeting, and each attendee's rules (no profile texts)."""

    def __init__(self, session: Session, run: MatchRun):
        seats = session.execute(
            sa.select(
                Meeting.id,
                Meeting.slot_id,
                Meeting.location_id,
                Meeting.kind,
                Meeting.cancelled_at.is_(None),
                MeetingSeat.profile_id,
            )
            .join(MeetingSeat, MeetingSeat.meeting_id == Meeting.id)
            .where(Meeting.run_id == run.id)
            .order_by(Meeting.id, MeetingSeat.position)
        ).all()
        people: dict[int, list[str]] = defaultdict(list)
        heads: dict[int, tuple] = {}
        for meeting_id, slot_id, location_id, kind, live, profile_id in seats:
            people[meeting_id].append(matching.person_key(profile_id))
            heads[meeting_id] = (slot_id, location_id, kind, live)
        self.meetings = [
            engine.Meeting(
                slot=matching.slot_key(slot_id),
                location=matching.location_key(location_id),
                attendees=tuple(people[m]),
                kind=kind,
                score=0.0,
            )
            for m, (slot_id, location_id, kind, live) in heads.items()
            if live
        ]
        self.seen = {
            frozenset((a, b))
            for group in people.values()
            for k, a in enumerate(group)
            for b in group[k + 1 :]
        }
        self.attendees = _rule_view(session, run.event_id)


def _rule_view(session: Session, event_id: int) -> list[engine.Attendee]:
    """Every filled-in profile of the event as the checker needs it: format, cap, slots."""
    free: dict[int, set[str]] = defaultdict(set)
    rows = session.execute(
        sa.select(profile_slots.c.profile_id, profile_slots.c.slot_id)
        .join(Profile, Profile.id == profile_slots.c.profile_id)
        .where(Profile.event_id == event_id)
    )
    for profile_id, slot_id in rows:
        free[profile_id].add(matching.slot_key(slot_id))
    profiles = session.execute(
        sa.select(Profile.id, Profile.format, Profile.max_meetings).where(
            Profile.event_id == event_id, Profile.completed_at.is_not(None)
        )
    )
    return [
        engine.Attendee(
            id=matching.person_key(pid),
            format=fmt,
            available=frozenset(free[pid]),
            max_meetings=cap,
        )
        for pid, fmt, cap in profiles
    ]


def refill(
    session: Session, *, run: MatchRun, slot_id: int, freed: list[int], now: datetime
) -> list[Meeting]:
    """Offer the `freed` attendees (profile ids) new one-to-one meetings in the slot, if it
    is still to come; store them as proposals (flush only) and return them. Refills are made
    one at a time per run (the run's row is locked), so two never take the same table."""
    session.execute(sa.select(MatchRun.id).where(MatchRun.id == run.id).with_for_update())
    event = run.event
    slot = session.get(Slot, slot_id)
    deadline = event.response_deadline_aware()
    late = deadline is not None and now >= deadline
    if slot is None or slot.starts_at_aware() <= now:
        return []
    if late and event.after_deadline == AfterDeadline.DROP:
        return []
    plan = PlanView(session, run)
    rules = matching.pair_rules(session, event_id=event.id)
    for rule, pairs in run.rules.items():
        rules.setdefault(rule, []).extend(pairs)
    shell = matching.engine_inputs(event, [], rules).event
    key = matching.slot_key(slot_id)
    open_ = open_for_one_to_one(shell, plan.attendees, plan.meetings, key)
    ids = [matching.row_id(a.id) for a in open_]
    inputs = matching.engine_inputs(
        event, matching.matched_profiles(session, event_id=event.id, ids=ids), rules
    )
    wanted = [matching.person_key(p) for p in freed]
    made = refill_slot(inputs.event, inputs.attendees, plan.meetings, key, wanted, plan.seen)
    if not made:
        return []
    before = set(check_plan(inputs.event, plan.attendees, {"meetings": _rows(plan.meetings)}))
    after = check_plan(
        inputs.event, plan.attendees, {"meetings": _rows(plan.meetings + list(made))}
    )
    broken = [p for p in after if p not in before]
    if broken:
        raise RuntimeError(f"A refill would break the plan's rules: {broken[0]}")
    answer = Response.ACCEPTED if late else Response.PENDING
    rows = []
    for meeting in made:
        row = Meeting(
            run_id=run.id,
            slot_id=slot_id,
            location_id=matching.row_id(meeting.location),
            kind=meeting.kind,
            score=float(meeting.score),
            topic=meeting.topic[:200],
            reasons=list(meeting.reasons),
            starters=list(meeting.starters),
            origin=MeetingOrigin.REFILL,
        )
        row.seats = [
            MeetingSeat(profile_id=matching.row_id(p), position=k, response=answer)
            for k, p in enumerate(meeting.attendees)
        ]
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def _rows(meetings: list[engine.Meeting]) -> list[dict]:
    return [
        {"slot": m.slot, "location": m.location, "attendees": list(m.attendees), "kind": m.kind}
        for m in meetings
    ]

"""Publishing a finished run as the event's schedule, and telling each attendee what changed."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import Event, MatchRun, Meeting, MeetingSeat, Profile
from matchmaker.services.core import calendar_ids
from matchmaker.services.core.messages import Mail, Mailer, Notice, render_mail, say
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.planning import matching, refills
from matchmaker.vocabulary import N_, JobStatus, MeetingKind, Response

NOT_FINISHED = "Only a finished run can be published: this one is {status}."
ALREADY = "This run is already the event's schedule."


@dataclass(frozen=True)
class Appointment:
    """One meeting as one attendee sees it."""

    starts_at: datetime
    location: str
    kind: str
    others: tuple[str, ...]
    topic: str


@dataclass(frozen=True)
class Published:
    run: MatchRun
    messages: int | None  # None: told by the announcement job


def _when(a: Appointment) -> tuple:
    return (a.starts_at, a.location, a.others)


@dataclass(frozen=True)
class Change:
    """What changes in one person's schedule: new meetings, meetings gone, meetings moved
    (the same partner, or the same group slot, elsewhere or at another time: (was, now)),
    and those that stay."""

    added: list[Appointment]
    removed: list[Appointment]
    moved: list[tuple[Appointment, Appointment]]
    kept: list[Appointment]

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.moved)


def change_of(before: set[Appointment], after: set[Appointment]) -> Change:
    """One person's schedule before and after, as what changed."""
    gone = sorted(before - after, key=_when)
    new = sorted(after - before, key=_when)
    moved = []
    for old in list(gone):
        same = next(
            (
                a
                for a in new
                if a.kind == old.kind
                and (
                    a.others == old.others
                    if a.kind == MeetingKind.ONE_TO_ONE
                    else a.starts_at == old.starts_at
                    or (a.location, a.others) == (old.location, old.others)
                )
            ),
            None,
        )
        if same is not None:
            moved.append((old, same))
            gone.remove(old)
            new.remove(same)
    return Change(new, gone, moved, sorted(before & after, key=_when))


def schedules(
    session: Session, run_id: int | None, people: list[int] | None = None
) -> dict[int, set[Appointment]]:
    """Each attendee's meetings in a run (empty for none), by profile id: everyone's, or
    only those of `people`."""
    if run_id is None:
        return {}
    result: dict[int, set[Appointment]] = defaultdict(set)
    for meeting in matching.run_meetings(session, run_id=run_id, people=people):
        for seat in meeting.seats:
            if people is None or seat.profile_id in people:
                result[seat.profile_id].add(appointment(meeting, seat.profile_id))
    return result


def appointment(meeting: Meeting, profile_id: int) -> Appointment:
    """The meeting as the attendee with this profile sees it in a message."""
    return Appointment(
        starts_at=meeting.slot.starts_at,
        location=meeting.location.name,
        kind=meeting.kind,
        others=tuple(s.profile.name for s in meeting.seats if s.profile_id != profile_id),
        topic=meeting.topic,
    )


def keep_answers(session: Session, old_run_id: int | None, new_run_id: int) -> None:
    """Copy each attendee's answer, outcome, rating and note from the meetings of the old
    published run to the same meetings (same slot, same people) of the new one, and what the
    meeting itself carries: where it came from, its calendar id, whether it is pinned."""
    if old_run_id is None:
        return
    old = {
        (m.slot_id, frozenset(s.profile_id for s in m.seats)): m
        for m in session.scalars(
            sa.select(Meeting)
            .where(Meeting.run_id == old_run_id, Meeting.cancelled_at.is_(None))
            .options(selectinload(Meeting.seats))
        )
    }
    for meeting in session.scalars(
        sa.select(Meeting).where(Meeting.run_id == new_run_id).options(selectinload(Meeting.seats))
    ):
        same = old.get((meeting.slot_id, frozenset(s.profile_id for s in meeting.seats)))
        if same is None:
            continue
        meeting.origin, meeting.calendar_uid = same.origin, same.calendar_uid
        meeting.pinned, meeting.sequence = same.pinned, same.sequence
        before = {s.profile_id: s for s in same.seats}
        for seat in meeting.seats:
            was = before[seat.profile_id]
            seat.response, seat.responded_at = was.response, was.responded_at
            seat.outcome, seat.rating, seat.note = was.outcome, was.rating, was.note


@dataclass(frozen=True)
class PersonChange:
    """One attendee's change, as the organiser sees it before publishing or comparing."""

    profile_id: int
    name: str
    change: Change


def changes_between(
    session: Session, before: dict[int, set[Appointment]], after: dict[int, set[Appointment]]
) -> list[PersonChange]:
    """Per attendee whose schedule differs, what changes, by name."""
    people = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    names = dict(
        session.execute(sa.select(Profile.id, Profile.name).where(Profile.id.in_(people))).all()
    )
    found = [
        PersonChange(p, names.get(p, "?"), change_of(before.get(p, set()), after.get(p, set())))
        for p in people
    ]
    return sorted((c for c in found if c.change.any), key=lambda c: (c.name.lower(), c.profile_id))


@dataclass(frozen=True)
class PublishPreview:
    """What publishing a run would change: per person, and for the meetings people accepted."""

    run: MatchRun
    first_time: bool
    people: list[PersonChange]
    accepted: int  # meetings of the published plan someone accepted
    accepted_lost: int  # of those, how many the run does not keep as they are


def preview_publish(session: Session, *, event: Event, run_id: int) -> PublishPreview:
    """What publishing this run would change, before anyone is told."""
    run = matching.get_run(session, event=event, run_id=run_id)
    if run.status != JobStatus.DONE:
        raise Conflict(NOT_FINISHED.format(status=run.status))
    if event.published_run_id == run.id:
        raise Conflict(ALREADY)
    before = schedules(session, event.published_run_id)
    after = schedules(session, run.id)
    accepted = lost = 0
    if event.published_run_id is not None:
        kept = {
            (m.slot_id, m.location_id, frozenset(s.profile_id for s in m.seats))
            for m in matching.run_meetings(session, run_id=run.id)
        }
        for m in matching.run_meetings(session, run_id=event.published_run_id):
            if any(s.response == Response.ACCEPTED for s in m.seats):
                accepted += 1
                lost += (
                    m.slot_id,
                    m.location_id,
                    frozenset(s.profile_id for s in m.seats),
                ) not in kept
    return PublishPreview(
        run=run,
        first_time=event.published_run_id is None,
        people=changes_between(session, before, after),
        accepted=accepted,
        accepted_lost=lost,
    )


def latest_finished_run(session: Session, *, event_id: int) -> MatchRun:
    run = session.scalar(
        sa.select(MatchRun)
        .where(MatchRun.event_id == event_id, MatchRun.status == JobStatus.DONE)
        .order_by(MatchRun.id.desc())
        .limit(1)
    )
    if run is None:
        raise NotFound("This event has no finished run to publish yet. Run matching first.")
    return run


def publish_run(
    session: Session,
    *,
    event: Event,
    run_id: int | None,
    now: datetime,
    mailer: Mailer | None,
    schedule_link: str,
) -> Published:
    """Make a finished run the event's schedule (the latest finished one when run_id is None),
    then send each attendee whose meetings changed one message saying what changed; with no
    `mailer`, the telling is left to the announcement job (`announce`), and `messages` is
    None."""
    session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    if run_id is None:
        run = latest_finished_run(session, event_id=event.id)
    else:
        run = matching.get_run(session, event=event, run_id=run_id)
    if run.status != JobStatus.DONE:
        raise Conflict(NOT_FINISHED.format(status=run.status))
    if event.published_run_id == run.id:
        raise Conflict(ALREADY)
    _leave_out_the_hidden(session, event, run, now)
    keep_answers(session, event.published_run_id, run.id)
    run.replaced_run_id, run.announced_at = event.published_run_id, None
    event.published_run_id, event.published_at = run.id, now
    event.responses_settled_at = None
    session.flush()
    if mailer is None:
        return Published(run=run, messages=None)
    return Published(run=run, messages=announce(session, run=run, mailer=mailer, now=now,
                                                schedule_link=schedule_link))  # fmt: skip


def announce(
    session: Session, *, run: MatchRun, mailer: Mailer, schedule_link: str, now: datetime
) -> int:
    """Tell each attendee of a published run what changed for them since the run it replaced
    (everyone with meetings, the first time), once: nothing if it was announced already or
    is no longer the schedule. Returns how many were told; flush only."""
    event = run.event
    if run.announced_at is not None or event.published_run_id != run.id:
        return 0
    before = schedules(session, run.replaced_run_id)
    after = schedules(session, run.id)
    changed = set(before) | set(after)
    first_time = run.replaced_run_id is None
    sent = tell_changes(session, event, before, after, changed, mailer, schedule_link, first_time)
    run.announced_at = now
    session.flush()
    return sent


def unannounced_runs(session: Session) -> list[int]:
    """Published runs whose attendees are still to be told (their job was lost, or the queue
    was down when they were published)."""
    return list(
        session.scalars(
            sa.select(MatchRun.id)
            .join(Event, Event.published_run_id == MatchRun.id)
            .where(MatchRun.announced_at.is_(None))
        )
    )


def _leave_out_the_hidden(session: Session, event: Event, run: MatchRun, now: datetime) -> None:
    """Whoever hid their profile after the run was planned is left out of its meetings that
    have not begun before anyone sees them: their one-to-ones are taken out (their partners
    offered new ones in the slot), and their groups meet without them (or not at all, when
    too few would be left)."""
    seats = session.scalars(
        sa.select(MeetingSeat)
        .join(Meeting)
        .join(Profile, Profile.id == MeetingSeat.profile_id)
        .where(Meeting.run_id == run.id, Meeting.cancelled_at.is_(None), Profile.hidden)
    ).all()
    for seat in seats:
        meeting = seat.meeting
        if meeting.cancelled_at is not None:
            continue  # taken out already, for another hidden person in it
        if meeting.slot.starts_at_aware() <= now:
            continue  # it has begun: it stays in the others' history
        refills.leave(session, event, meeting, seat.profile_id, now=now)
    session.flush()


def tell_changes(
    session: Session,
    event: Event,
    before: dict[int, set[Appointment]],
    after: dict[int, set[Appointment]],
    people,
    mailer: Mailer,
    schedule_link: str,
    first_time: bool = False,
    now: datetime | None = None,
) -> int:
    """Send each of `people` (profile ids) whose meetings differ between `before` and
    `after` one message saying what changed, in the same words whoever changed it (a
    decline reads like an organiser's change: declines stay private); with `now`, meetings
    that have begun are left out (history is not news). Return how many were sent."""
    profiles = {
        p.id: p
        for p in session.scalars(
            sa.select(Profile)
            .where(Profile.id.in_(list(people)))
            .options(selectinload(Profile.user))
        )
    }
    sent = 0

    def to_come(items: set[Appointment]) -> set[Appointment]:
        if now is None:
            return items
        return {a for a in items if a.starts_at.replace(tzinfo=event.zone) > now}

    for profile_id in sorted(people):
        mine = to_come(before.get(profile_id, set()))
        theirs = to_come(after.get(profile_id, set()))
        if mine == theirs or profile_id not in profiles:
            continue
        mailer.send(
            _change_mail(event, profiles[profile_id], mine, theirs, first_time, schedule_link)
        )
        sent += 1
    return sent


def _change_mail(event, profile, before, after, first_time, link) -> Mail:
    change = change_of(before, after)
    language = profile.user.language
    subject = (
        N_("%(event)s: your meetings are planned")
        if first_time
        else N_("%(event)s: your meetings have changed")
    )
    return Mail(
        to=profile.user.email,
        subject=say(language, subject, event=event.name),
        body=render_mail(
            "schedule_changed",
            language,
            event=event,
            profile=profile,
            first_time=first_time,
            added=change.added,
            removed=change.removed,
            moved=change.moved,
            kept=change.kept,
            link=link,
        ),
    )


def tell(
    session: Session,
    event: Event,
    before,
    made: list[Meeting],
    people: list[int],
    notice: Notice,
    now: datetime | None = None,
) -> None:
    """Mail each of `people` whose meetings changed what changed: `before` holds their
    meetings before the change, except for those whose only change is a new meeting of
    `made` (refills), whose earlier meetings are the later ones without it."""
    made_ids = {m.id for m in made}
    session.expire_all()
    after = schedules(session, event.published_run_id, people)
    for meeting in session.scalars(sa.select(Meeting).where(Meeting.id.in_(made_ids))):
        for seat in meeting.seats:
            if seat.profile_id not in before:
                added = appointment(meeting, seat.profile_id)
                before[seat.profile_id] = after.get(seat.profile_id, set()) - {added}
    tell_changes(
        session, event, before, after, people, notice.mailer, notice.schedule_link, now=now
    )


@dataclass(frozen=True)
class Withdrawn:
    cancelled: int  # meetings that no longer take place
    refilled: int  # new meetings offered to the people they freed


def withdraw(
    session: Session, event: Event, profile: Profile, *, now: datetime, notice: Notice
) -> Withdrawn:
    """Take someone out of the published schedule's meetings that have not begun: their
    one-to-ones no longer take place (the others are told, and offered new meetings), they
    leave their groups. Meetings that have begun stay in the others' history. Flush only."""
    if event.published_run_id is None:
        return Withdrawn(0, 0)
    refills.lock_run(session, event.published_run_id)  # the order declines and edits use
    seats = session.scalars(
        sa.select(MeetingSeat)
        .join(Meeting)
        .where(
            MeetingSeat.profile_id == profile.id,
            Meeting.run_id == event.published_run_id,
            Meeting.cancelled_at.is_(None),
        )
    ).all()
    meetings = [seat.meeting for seat in seats]
    others = sorted({s.profile_id for m in meetings for s in m.seats} - {profile.id})
    before = schedules(session, event.published_run_id, others)
    made: list[Meeting] = []
    cancelled = 0
    for meeting in meetings:
        # Calendars keep knowing the meeting after its people change.
        calendar_ids.freeze(event, meeting)
        if meeting.slot.starts_at_aware() <= now:
            continue  # begun or past: it stays in the others' history, untouched
        made += refills.leave(session, event, meeting, profile.id, now=now)
        cancelled += meeting.cancelled_at is not None
    session.flush()
    told = sorted(set(others) | {s.profile_id for m in made for s in m.seats} - {profile.id})
    tell(session, event, before, made, told, notice, now=now)
    return Withdrawn(cancelled, len(made))

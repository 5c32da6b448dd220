"""The event day: a reminder a set number of minutes before each meeting, and on the morning
of each event day a "still coming today?" whose "no" frees that day's meetings and refills
them as declines are refilled. Each is written to the outbox once: the reminded seat and the
asked day are marked in the transaction that writes the message."""

import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import (
    DayCheck,
    Event,
    Location,
    Meeting,
    MeetingSeat,
    Profile,
    Slot,
    User,
    profile_slots,
)
from matchmaker.services.core import reads
from matchmaker.services.core.messages import Mail, Mailer, Notice, render_mail, say
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.introductions.reading import to_reader
from matchmaker.services.planning import publishing, refills
from matchmaker.vocabulary import N_, MeetingKind, Response
from matchmaker.written import written

# When the morning's question leaves, in the event's time zone.
MORNING = time(7, 0)
NOT_ANSWERED = (Response.DECLINED, Response.DROPPED)
DAY_OVER = N_("That day is over: there is nothing left to free.")


@dataclass(frozen=True)
class Links:
    """The addresses messages point to (the web layer knows them; jobs pass them in)."""

    meeting: Callable[[str, int], str]  # (event slug, meeting id) -> the meeting's page
    day_check: Callable[[str], str]  # the check's secret -> its page


@dataclass(frozen=True)
class Seat:
    """One person's view of one meeting, as a message tells it."""

    meeting_id: int
    profile_id: int
    name: str
    email: str
    language: str | None  # the reader's
    starts_at: datetime  # naive, in the event's time zone
    place: str
    kind: str
    topic: str
    others: tuple[str, ...]
    starter: str


@dataclass(frozen=True)
class DayView:
    """What the page of a morning's question shows its one reader."""

    check: DayCheck
    event: Event
    name: str
    meetings: list[Seat]  # their meetings that day still to come
    over: bool  # the day has passed


def _local(event: Event, now: datetime) -> datetime:
    """`now` as a naive time in the event's zone, as slots are stored."""
    return now.astimezone(event.zone).replace(tzinfo=None)


def _events_on(session: Session, now: datetime) -> list[Event]:
    """Events with a published schedule whose days include today in their own zone."""
    near = session.scalars(
        sa.select(Event).where(
            Event.published_run_id.is_not(None),
            Event.starts_on <= (now + timedelta(days=1)).date(),
            Event.ends_on >= (now - timedelta(days=1)).date(),
        )
    )
    return [e for e in near if e.starts_on <= _local(e, now).date() <= e.ends_on]


def events_under_way(session: Session, *, now: datetime) -> int:
    """How many events with a published schedule are on today (where each is)."""
    return len(_events_on(session, now))


def _taking_place(event: Event):
    """Seats of the event's published meetings that take place, for people who did not
    decline them."""
    return (
        (Meeting.run_id == event.published_run_id)
        & Meeting.cancelled_at.is_(None)
        & MeetingSeat.response.not_in(NOT_ANSWERED)
    )


def _seats(session: Session, pairs: list[tuple[int, int]]) -> list[Seat]:
    """These (meeting, profile) seats as messages tell them, in two queries whatever their
    number: the seats with their meeting, and everyone seated with them."""
    if not pairs:
        return []
    meetings = sorted({m for m, _ in pairs})
    wanted = set(pairs)
    rows = session.execute(
        sa.select(
            MeetingSeat.meeting_id, MeetingSeat.profile_id, Profile.name, User.email,
            User.language, Slot.starts_at, Location.name.label("place"), Meeting.kind,
            Meeting.topic, Meeting.starters,
        )
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .join(Location, Location.id == Meeting.location_id)
        .join(Profile, Profile.id == MeetingSeat.profile_id)
        .join(User, User.id == Profile.user_id)
        .where(MeetingSeat.meeting_id.in_(meetings))
        .order_by(MeetingSeat.meeting_id, MeetingSeat.position)
    ).all()  # fmt: skip
    names: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        names[row.meeting_id].append((row.profile_id, row.name))
    found = []
    for row in rows:
        if (row.meeting_id, row.profile_id) not in wanted:
            continue
        others = tuple(n for p, n in names[row.meeting_id] if p != row.profile_id)
        starters = to_reader(row.starters, row.kind, row.name, list(others))
        found.append(
            Seat(
                meeting_id=row.meeting_id, profile_id=row.profile_id, name=row.name,
                email=row.email, language=row.language, starts_at=row.starts_at,
                place=row.place, kind=row.kind,
                topic=row.topic, others=others, starter=starters[0] if starters else "",
            )
        )  # fmt: skip
    return sorted(found, key=lambda s: (s.profile_id, s.starts_at))


def send_reminders(session: Session, *, now: datetime, mailer: Mailer, links: Links) -> int:
    """Write a reminder of each meeting starting within its event's reminder time to each
    of its people who want reminders, once ever per person and meeting (the seat is marked in
    this transaction; two senders at once mark different seats). Returns how many; flush
    only."""
    sent = 0
    for event in _events_on(session, now):
        if event.reminder_minutes <= 0:
            continue
        local = _local(event, now)
        due = (
            sa.select(MeetingSeat.meeting_id, MeetingSeat.profile_id)
            .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
            .join(Slot, Slot.id == Meeting.slot_id)
            .join(Profile, Profile.id == MeetingSeat.profile_id)
            .where(
                _taking_place(event),
                MeetingSeat.reminded_at.is_(None),
                Profile.reminders.is_(True),
                Slot.starts_at > local,
                Slot.starts_at <= local + timedelta(minutes=event.reminder_minutes),
            )
        )
        claimed = session.execute(
            sa.update(MeetingSeat)
            .where(
                sa.tuple_(MeetingSeat.meeting_id, MeetingSeat.profile_id).in_(due),
                MeetingSeat.reminded_at.is_(None),
            )
            .values(reminded_at=now)
            .returning(MeetingSeat.meeting_id, MeetingSeat.profile_id)
            .execution_options(synchronize_session=False)
        ).all()
        for seat in _seats(session, [tuple(c) for c in claimed]):
            mailer.send(_reminder(event, seat, local, links))
            sent += 1
    session.flush()
    return sent


def _reminder(event: Event, seat: Seat, local: datetime, links: Links) -> Mail:
    minutes = max(1, round((seat.starts_at - local).total_seconds() / 60))
    language = seat.language
    what = (
        say(language, N_("your meeting with %(names)s"), names=", ".join(seat.others))
        if seat.kind == MeetingKind.ONE_TO_ONE
        else say(language, N_("your small-group meetup"))
    )
    return Mail(
        to=seat.email,
        subject=say(language, N_("%(event)s: %(what)s at %(when)s (%(place)s)"),
                    event=event.name, what=what, place=seat.place,
                    when=written(seat.starts_at, "clock", language)),
        body=render_mail(
            "reminder", language, event=event, seat=seat, minutes=minutes, what=what,
            link=links.meeting(event.slug, seat.meeting_id),
        ),
    )  # fmt: skip


def send_morning_checks(session: Session, *, now: datetime, mailer: Mailer, links: Links) -> int:
    """From MORNING on each event day, ask each attendee with meetings still to come that
    day "still coming today?", once per person and day (the asked day is recorded in this
    transaction, under a lock on the event). Returns how many; flush only."""
    sent = 0
    for event in _events_on(session, now):
        local = _local(event, now)
        if not event.morning_check or local.time() < MORNING:
            continue
        session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
        today = local.date()
        asked = sa.select(DayCheck.profile_id).where(DayCheck.day == today)
        pairs = [
            tuple(r)
            for r in session.execute(
                _today(event, today, local).where(MeetingSeat.profile_id.not_in(asked))
            )
        ]
        by_person: dict[int, list[Seat]] = defaultdict(list)
        for seat in _seats(session, pairs):
            by_person[seat.profile_id].append(seat)
        checks = [
            DayCheck(profile_id=p, day=today, token=secrets.token_urlsafe(24), asked_at=now)
            for p in by_person
        ]
        session.add_all(checks)
        session.flush()
        for check in checks:
            meetings = by_person[check.profile_id]
            language = meetings[0].language
            mailer.send(
                Mail(
                    to=meetings[0].email,
                    subject=say(language, N_("%(event)s: still coming today?"),
                                event=event.name),
                    body=render_mail(
                        "still_coming", language, event=event, reader=meetings[0].name,
                        meetings=meetings,
                        day=today, link=links.day_check(check.token),
                    ),
                )
            )  # fmt: skip
            sent += 1
    return sent


def _today(event: Event, day: date, after: datetime, profile_id: int | None = None) -> sa.Select:
    """(meeting, profile) of the event's meetings on `day` that start after `after` (a naive
    event-local time), of one person when given."""
    start = datetime.combine(day, time())
    query = (
        sa.select(MeetingSeat.meeting_id, MeetingSeat.profile_id)
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .where(
            _taking_place(event),
            Slot.starts_at > max(after, start - timedelta(microseconds=1)),
            Slot.starts_at < start + timedelta(days=1),
        )
        .order_by(MeetingSeat.profile_id, Slot.starts_at)
    )
    if profile_id is not None:
        query = query.where(MeetingSeat.profile_id == profile_id)
    return query


def _check(session: Session, token: str) -> DayCheck:
    check = session.scalar(sa.select(DayCheck).where(DayCheck.token == token)) if token else None
    if check is None:
        raise NotFound(N_("This link is not valid (it may be from another event)."))
    return check


def day_view(session: Session, *, token: str, now: datetime) -> DayView:
    """The morning's question behind its secret: whose, which day, their meetings that day
    still to come, and whether they answered."""
    check = _check(session, token)
    event = check.profile.event
    local = _local(event, now)
    over = local.date() > check.day
    pairs = [] if over else session.execute(_today(event, check.day, local, check.profile_id))
    seats = _seats(session, [tuple(p) for p in pairs])
    return DayView(check=check, event=event, name=check.profile.name, meetings=seats, over=over)


def coming(session: Session, *, token: str, now: datetime) -> None:
    """Record "yes, still coming" (from a link: safe to repeat, and written even on a page
    that only reads); a "no" given before stays."""
    _check(session, token)
    with reads.writing(session) as writer:
        writer.execute(
            sa.update(DayCheck)
            .where(DayCheck.token == token, DayCheck.coming.is_(None))
            .values(coming=True, answered_at=now)
        )


def not_coming(session: Session, *, token: str, now: datetime, notice: Notice) -> int:
    """Record "not coming today": the person's meetings still to come that day are freed as
    a decline frees them (one-to-one partners offered another meeting in the slot, groups
    meet without them), they are no longer free in that day's slots, and the people whose
    meetings changed are told in the same words as for any change. Returns how many
    meetings were freed; flush only."""
    check = _check(session, token)
    profile = check.profile
    event = profile.event
    local = _local(event, now)
    if local.date() > check.day:
        raise Conflict(DAY_OVER)
    if check.coming is False:
        return 0
    check.coming, check.answered_at = False, now
    freed = 0
    if event.published_run_id is not None:
        refills.lock_run(session, event.published_run_id)
        still = _today(event, check.day, local, profile.id)
        ids = [m for m, _ in session.execute(still)]
        meetings = session.scalars(sa.select(Meeting).where(Meeting.id.in_(ids))).all()
        others = sorted({s.profile_id for m in meetings for s in m.seats} - {profile.id})
        before = publishing.schedules(session, event.published_run_id, others)
        _not_free_that_day(session, event, profile.id, check.day)
        made = []
        for meeting in meetings:
            made += refills.leave(session, event, meeting, profile.id, now=now)
            freed += 1
        session.flush()
        told = sorted(set(others) | {s.profile_id for m in made for s in m.seats} - {profile.id})
        publishing.tell(session, event, before, made, told, notice, now=now)
    session.flush()
    return freed


def _not_free_that_day(session: Session, event: Event, profile_id: int, day: date) -> None:
    """Take the day's slots out of the person's free times, so that no refill or request
    proposes them a meeting that day."""
    start = datetime.combine(day, time())
    that_day = sa.select(Slot.id).where(
        Slot.event_id == event.id, Slot.starts_at >= start, Slot.starts_at < start + timedelta(1)
    )
    session.execute(
        sa.delete(profile_slots).where(
            profile_slots.c.profile_id == profile_id, profile_slots.c.slot_id.in_(that_day)
        )
    )

"""Free now: during the event an attendee says "I'm free for the next 30 minutes"; the best
match among the others free now (who said so too, and have no meeting then) is met at once, in
the one-to-one slot on now or the next to start within those 30 minutes, at a free table, within
every rule of the plan. Both said they were free, so both count as having accepted; the other
is told at once. Without a match now, the attendee stays free for 30 minutes: whoever says so
next, or looks for someone else at their table, may meet them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.engine.refill import free_tables, standby_pick
from matchmaker.models import Event, MatchRun, Meeting, MeetingSeat, Profile
from matchmaker.services.core.messages import Mail, Notice, render_mail, say
from matchmaker.services.core.moments import aware, to_store
from matchmaker.services.errors import Conflict
from matchmaker.services.introductions.at_the_table import mark_free_in, met_pairs, one_to_ones
from matchmaker.services.introductions.reading import to_reader
from matchmaker.services.introductions.requests import cannot_ask
from matchmaker.services.people.attendance import get_own_profile
from matchmaker.services.planning import adapter, refills
from matchmaker.services.planning.event_model import event_model
from matchmaker.vocabulary import N_, MeetingKind, MeetingOrigin, Response
from matchmaker.written import written

FREE_FOR = timedelta(minutes=30)
NOT_DURING = N_("You can say you are free now during the event, once its schedule is published.")


@dataclass(frozen=True)
class FreeNow:
    """What the introductions page offers: whether the reader can say they are free now, and
    until when they said so."""

    can_say: bool
    free_until: datetime | None  # aware, in the event's time zone


def _during(event: Event, now: datetime) -> bool:
    day = now.astimezone(event.zone).date()
    return event.published_run_id is not None and event.starts_on <= day <= event.ends_on


def free_now_state(profile: Profile, now: datetime) -> FreeNow:
    """Whether this attendee can say they are free now, and until when they are."""
    event = profile.event
    until = aware(profile.free_until) if profile.free_until else None
    if until is not None and until <= now:
        until = None
    can = _during(event, now) and not cannot_ask(profile)
    return FreeNow(can, until.astimezone(event.zone) if until else None)


def _slot_now(session: Session, event: Event, profile_id: int, now: datetime):
    """The one-to-one slot on now, or else the next to start within FREE_FOR, where the
    attendee has no meeting and a table is free: (slot, table location id), or None."""
    local = now.astimezone(event.zone).replace(tzinfo=None)
    soon = [
        s
        for s in event.slots
        if s.format == MeetingKind.ONE_TO_ONE
        and s.retired_at is None
        and s.ends_at > local
        and s.starts_at <= local + FREE_FOR
    ]
    run = session.get(MatchRun, event.published_run_id)
    frame = adapter.engine_inputs(event, [], {}).event
    for slot in sorted(soon, key=lambda s: (s.starts_at, s.id)):
        busy = session.scalar(
            sa.select(sa.func.count())
            .select_from(MeetingSeat)
            .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
            .where(
                Meeting.run_id == run.id,
                Meeting.slot_id == slot.id,
                Meeting.cancelled_at.is_(None),
                MeetingSeat.profile_id == profile_id,
            )
        )
        if busy:
            continue
        view = refills.SlotView(session, run, [slot.id], [profile_id], among=[profile_id])
        tables = free_tables(frame, view.meetings[slot.id], adapter.slot_key(slot.id))
        if tables:
            return slot, adapter.row_id(tables[0])
    return None


def say_free_now(
    session: Session, *, slug: str, user_id: int, now: datetime, notice: Notice
) -> Meeting | None:
    """The attendee is free for the next FREE_FOR: the best match among the others free now
    and without a meeting then is met at once (returned; the other is mailed), or None, and
    the attendee stays free until then. Flush only."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    event = profile.event
    if not _during(event, now):
        raise Conflict(NOT_DURING)
    if why := cannot_ask(profile):
        raise Conflict(why)
    refills.lock_run(session, event.published_run_id)
    profile.free_until = to_store(now + FREE_FOR)
    session.flush()
    found = _slot_now(session, event, profile.id, now)
    if found is None:
        return None
    slot, table = found
    run = session.get(MatchRun, event.published_run_id)
    busy = (
        sa.select(MeetingSeat.profile_id)
        .join(Meeting)
        .where(Meeting.run_id == run.id, Meeting.slot_id == slot.id, Meeting.cancelled_at.is_(None))
    )
    others = session.scalars(
        sa.select(Profile.id).where(
            Profile.event_id == event.id,
            Profile.id != profile.id,
            Profile.free_until > to_store(now),
            Profile.id.not_in(busy),
        )
    ).all()
    if not others:
        return None
    known = event_model(session, event)
    me = adapter.person_key(profile.id)
    people = known.attendees([me, *(adapter.person_key(p) for p in others)])
    inputs = adapter.engine_inputs(event, people, refills.rules_of(session, run))
    seeker = next((a for a in people if a.id == me), None)
    if seeker is None:
        return None
    made = standby_pick(
        inputs.event, seeker, [a for a in people if a.id != me], adapter.slot_key(slot.id),
        adapter.location_key(table), met_pairs(session, run.id, profile.id),
        one_to_ones(session, run.id, [profile.id, *others], leaving_out=[]), known.model,
    )  # fmt: skip
    if made is None or made.score <= 0:  # only a match that shares something
        return None
    other = adapter.row_id(next(p for p in made.attendees if p != me))
    for person in (profile.id, other):
        mark_free_in(session, person, slot.id)
    session.flush()
    refills.check_new_meetings(session, run, inputs.event, [made])
    row = refills.meeting_row(
        run, made, MeetingOrigin.FREE_NOW, dict.fromkeys(made.attendees, Response.ACCEPTED),
        dict.fromkeys(made.attendees, now),
    )  # fmt: skip
    session.add(row)
    profile.free_until = None
    them = session.get(Profile, other)
    them.free_until = None
    session.flush()
    language = them.user.language
    notice.mailer.send(
        Mail(
            to=them.user.email,
            subject=say(language, N_("%(event)s: meet %(name)s at %(place)s, %(when)s"),
                        event=event.name, name=profile.name, place=row.location.name,
                        when=written(slot.starts_at, "clock", language)),
            body=render_mail(
                "free_now", language, event=event, reader=them.name, other=profile.name,
                place=row.location.name, starts_at=slot.starts_at, link=notice.schedule_link,
                reasons=to_reader(row.reasons, row.kind, them.name, [profile.name]),
            ),
        )
    )  # fmt: skip
    return row


def not_free(session: Session, *, slug: str, user_id: int) -> None:
    """The attendee is no longer free now (flush only)."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    profile.free_until = None
    session.flush()

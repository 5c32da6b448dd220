"""An attendee's own data: hide their profile from introductions, download everything kept
about them, or delete their account (their published meetings then no longer take place, the
people they would have met are offered others, and they leave everyone's connections)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.catalogue import N_
from matchmaker.models import Event, EventOrganiser, Meeting, MeetingSeat, Profile, User
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Gone, Invalid
from matchmaker.services.people.attendance import get_own_profile
from matchmaker.services.people.connections import my_connections
from matchmaker.services.people.follow_up import my_next_steps
from matchmaker.services.planning import publishing
from matchmaker.vocabulary import Direction

TICKET_CANCELLED = N_(
    "Your ticket for this event was cancelled, so you are not introduced to anyone. If you "
    "have a new ticket, you are shown again as soon as the organisers' ticket shop says so."
)
ALREADY_DELETED = N_("This account has already been deleted.")
ORGANISES = N_(
    "You organise {events}: hand these events to another organiser (or delete them) before "
    "deleting your account."
)


def set_hidden(session: Session, *, slug: str, user_id: int, hidden: bool) -> Profile:
    """Hide the attendee's profile at an event from introductions (future runs and refills
    leave it out), or show it again."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    if not hidden and profile.ticket_cancelled_at is not None:
        raise Conflict(TICKET_CANCELLED)
    profile.hidden = hidden
    session.flush()
    return profile


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_my_data(session: Session, *, user_id: int) -> dict:
    """Everything kept about the user, as plain data: the account, each event's profile,
    their meetings with their own answers, ratings and notes, and their connections with their
    next steps."""
    user = session.get(User, user_id)
    profiles = session.scalars(
        sa.select(Profile)
        .where(Profile.user_id == user_id)
        .options(
            selectinload(Profile.event),
            selectinload(Profile.tags),
            selectinload(Profile.intents),
            selectinload(Profile.available_slots),
        )
        .order_by(Profile.id)
    ).all()
    steps = my_next_steps(session, user_id=user_id)
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "organiser": user.is_organiser,
            "created_at": _when(user.created_at),
        },
        "events": [_profile_data(session, p) for p in profiles],
        "connections": [
            {
                "name": c.name,
                "headline": c.headline,
                "company": c.company,
                "event": c.event,
                "met_on": c.met_on.isoformat(),
                "email": c.email,
                "links": list(c.links),
                "my_rating": c.my_rating,
                "next_step": steps[c.user_id].text if c.user_id in steps else "",
                "remind_on": _day(steps[c.user_id].remind_on) if c.user_id in steps else None,
            }
            for c in my_connections(session, user_id=user_id)
        ],
    }


def _day(day) -> str | None:
    return day.isoformat() if day else None


def _profile_data(session: Session, profile: Profile) -> dict:
    event = profile.event
    seats = session.scalars(
        sa.select(MeetingSeat)
        .join(Meeting)
        .where(MeetingSeat.profile_id == profile.id)
        .options(
            selectinload(MeetingSeat.meeting).selectinload(Meeting.slot),
            selectinload(MeetingSeat.meeting).selectinload(Meeting.location),
            selectinload(MeetingSeat.meeting).selectinload(Meeting.seats),
        )
        .order_by(Meeting.id)
    ).all()
    published = [s for s in seats if s.meeting.run_id == event.published_run_id]
    names = {
        p.id: p.name
        for p in session.scalars(
            sa.select(Profile).where(
                Profile.id.in_({x.profile_id for s in published for x in s.meeting.seats})
            )
        )
    }
    return {
        "event": event.name,
        "profile": {
            "name": profile.name,
            "headline": profile.headline,
            "company": profile.company,
            "bio": profile.bio,
            "interests": [t.name for t in profile.tags],
            "seeks": profile.intent_names(Direction.SEEKS),
            "offers": profile.intent_names(Direction.OFFERS),
            "looking_for": profile.looking_for,
            "can_help": profile.can_help,
            "format": profile.format,
            "max_meetings": profile.max_meetings,
            "free_slots": [s.starts_at.isoformat() for s in profile.available_slots],
            "share_contact": profile.share_contact,
            "listed_in_directory": profile.listed,
            "links": profile.links.split(),
            "hidden_from_introductions": profile.hidden,
            "filled_in_at": _when(profile.completed_at),
        },
        "meetings": [
            {
                "starts_at": s.meeting.slot.starts_at.isoformat(),
                "timezone": event.timezone,
                "location": s.meeting.location.name,
                "kind": s.meeting.kind,
                "with": [names.get(x.profile_id, "") for x in s.meeting.seats if x is not s],
                "takes_place": s.meeting.cancelled_at is None,
                "my_answer": s.response,
                "my_outcome": s.outcome,
                "my_rating": s.rating,
                "my_note": s.note,
            }
            for s in published
        ],
    }


@dataclass(frozen=True)
class Deleted:
    cancelled: int
    refilled: int


def delete_account(
    session: Session, *, user_id: int, password: str, now: datetime, notice: Notice
) -> Deleted:
    """Delete the user's account and everything of theirs. Their one-to-one meetings still
    to come in published schedules are cancelled (the others are told, and offered new
    meetings); they leave their group meetups; nobody's connections show them any more.
    Meetings that have begun are never cancelled: they stay in the others' history, without
    the deleted person's name."""
    # One deletion at a time per account: a second one waits, then finds it gone.
    user = session.scalar(
        sa.select(User)
        .where(User.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if user is None:
        raise Gone(ALREADY_DELETED)
    if not user.check_password(password):
        raise Invalid({"password": [N_("That is not your password.")]})
    organised = session.scalars(
        sa.select(Event.name).join(EventOrganiser).where(EventOrganiser.user_id == user_id)
    ).all()
    if organised:
        raise Conflict(ORGANISES.format(events=", ".join(sorted(organised))))
    cancelled = refilled = 0
    for profile in list(user.profiles):
        done = publishing.withdraw(session, profile.event, profile, now=now, notice=notice)
        cancelled, refilled = cancelled + done.cancelled, refilled + done.refilled
        session.delete(profile)
        session.flush()
    session.delete(session.get(User, user_id))
    session.flush()
    return Deleted(cancelled=cancelled, refilled=refilled)

"""Attendees join an event through its link and keep one profile per event."""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.catalogue import N_
from matchmaker.models import (
    Event,
    Profile,
    ProfileIntent,
    Slot,
    Tag,
    User,
    profile_tags,
)
from matchmaker.models.profile import LINK_MAX, LINKS_MAX
from matchmaker.services.errors import Gone, Invalid, NotFound
from matchmaker.services.people.tags import parse_tags
from matchmaker.vocabulary import ATTENDEE_FORMATS, INTENTS, AttendeeFormat, Direction


class JoinLinkInvalid(NotFound):
    """A join link that is no event's (or no longer is: the organisers made a new one)."""


class JoinClosed(Gone):
    """The event no longer takes sign-ups."""


@dataclass(frozen=True)
class ProfileData:
    name: str
    headline: str = ""
    company: str = ""
    bio: str = ""
    interests: tuple[str, ...] = ()
    seeks: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    looking_for: str = ""
    can_help: str = ""
    format: str = AttendeeFormat.ANY
    available_slot_ids: tuple[int, ...] = ()
    max_meetings: int | None = None
    share_contact: bool = False
    links: tuple[str, ...] = ()
    listed: bool = False
    reminders: bool = True


def parse_links(lines: str) -> tuple[tuple[str, ...], list[str]]:
    """Web addresses, one per line (blank lines skipped), and what is wrong with them."""
    links = tuple(line.strip() for line in lines.splitlines() if line.strip())
    return links, _link_errors(links)


def _link_errors(links: tuple[str, ...]) -> list[str]:
    errors = []
    if len(links) > LINKS_MAX:
        errors.append(f"Add at most {LINKS_MAX} links.")
    for number, link in enumerate(links, start=1):
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            errors.append(f"Line {number}: “{link[:60]}” is not a web address (https://...).")
        elif len(link) > LINK_MAX:
            errors.append(f"Line {number}: keep each link under {LINK_MAX} characters.")
    return errors


def event_for_join_token(session: Session, *, token: str, now: datetime | None = None) -> Event:
    """The event a join link leads to, if the link is right and signups are open."""
    event = session.scalar(sa.select(Event).where(Event.join_token == token))
    if event is None:
        raise JoinLinkInvalid(
            N_(
                "This join link is not valid. It may have been replaced: ask the organisers "
                "for the current link."
            )
        )
    if not event.join_is_open(now or datetime.now(UTC)):
        raise JoinClosed(f"Signups for {event.name} closed on {event.join_deadline:%d %B %Y}.")
    return event


def add_profile(session: Session, event: Event, user: User) -> Profile:
    """Add an empty profile of `user` at `event`, free in every slot (flush only)."""
    profile = Profile(
        event=event,
        user=user,
        name=user.name,
        available_slots=list(event.slots),
    )
    session.add(profile)
    session.flush()
    return profile


def _own_profile(session: Session, event_id: int, user_id: int) -> Profile | None:
    return session.scalar(
        sa.select(Profile).where(Profile.event_id == event_id, Profile.user_id == user_id)
    )


def join_event(
    session: Session, *, token: str, user_id: int, now: datetime | None = None
) -> Profile:
    """Join the event behind a join link; joining twice returns the same profile."""
    event = event_for_join_token(session, token=token, now=now)
    existing = _own_profile(session, event.id, user_id)
    if existing is not None:
        return existing
    user = session.get(User, user_id)
    try:
        with session.begin_nested():
            profile = add_profile(session, event, user)
    except IntegrityError:
        # The same person joined in another request at the same moment: that is the profile.
        return _own_profile(session, event.id, user_id)
    return profile


def list_attended(session: Session, *, user_id: int) -> list[Profile]:
    """The user's profiles, one per event, soonest event first."""
    return list(
        session.scalars(
            sa.select(Profile)
            .join(Event)
            .where(Profile.user_id == user_id)
            .options(selectinload(Profile.event))
            .order_by(Event.starts_on, Event.id)
        )
    )


def get_own_profile(session: Session, *, slug: str, user_id: int) -> Profile:
    """The user's own profile at the event with this slug."""
    profile = session.scalar(
        sa.select(Profile)
        .join(Event)
        .where(Event.slug == slug, Profile.user_id == user_id)
        .options(
            selectinload(Profile.tags),
            selectinload(Profile.intents),
            selectinload(Profile.available_slots),
        )
    )
    if profile is None:
        raise NotFound(N_("You have not joined this event. Use the join link the organisers sent."))
    return profile


def profile_and_event(session: Session, *, slug: str, user_id: int) -> Profile:
    """The user's own profile at the event with this slug, with the event, in one query
    (its tags, intents and slots load when read)."""
    profile = session.scalar(_profile_and_event(), {"slug": slug, "user_id": user_id})
    if profile is None:
        raise NotFound(N_("You have not joined this event. Use the join link the organisers sent."))
    return profile


@functools.cache
def _profile_and_event() -> sa.Select:
    """The statement of `profile_and_event`, built once (the attendee pages run it always)."""
    return (
        sa.select(Profile)
        .join(Event)
        .where(Event.slug == sa.bindparam("slug"), Profile.user_id == sa.bindparam("user_id"))
        .options(contains_eager(Profile.event))
    )


def _check_profile(data: ProfileData, event: Event) -> None:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [N_("Enter your name.")]
    if data.format not in ATTENDEE_FORMATS:
        errors["format"] = [N_("Choose one-to-one, small groups or either.")]
    for field in Direction:
        unknown = sorted(set(getattr(data, field)) - set(INTENTS))
        if unknown:
            errors[field] = [f"Unknown intent: {', '.join(unknown)}."]
    tags, tag_errors = parse_tags(",".join(data.interests))
    if tag_errors:
        errors["interests"] = tag_errors
    slot_ids = {slot.id for slot in event.slots}
    if set(data.available_slot_ids) - slot_ids:
        errors["available_slots"] = [N_("Choose slots of this event only.")]
    if link_errors := _link_errors(data.links):
        errors["links"] = link_errors
    if data.max_meetings is not None and not 1 <= data.max_meetings <= 50:
        errors["max_meetings"] = [N_("Choose between 1 and 50 meetings, or leave it empty.")]
    if errors:
        raise Invalid(errors)


def event_tags(session: Session, event: Event, names: list[str]) -> list[Tag]:
    """The event's tags of these names, new ones added (flushed on commit)."""
    existing = {
        tag.name: tag
        for tag in session.scalars(
            sa.select(Tag).where(Tag.event_id == event.id, Tag.name.in_(names))
        )
    }
    tags = []
    for name in names:
        tag = existing.get(name) or Tag(event_id=event.id, name=name)
        existing[name] = tag
        tags.append(tag)
    return tags


def save_profile(session: Session, *, slug: str, user_id: int, data: ProfileData) -> Profile:
    """Save the user's own profile at an event. Saves that meet another at the same moment
    (two tabs saving, or someone else adding the same new tag) are tried once more on what
    the other wrote: the later save is written whole, never a mix of both."""
    try:
        with session.begin_nested():
            return _save_profile(session, slug=slug, user_id=user_id, data=data)
    except (StaleDataError, IntegrityError):
        session.expire_all()  # read again what the other save wrote
        return _save_profile(session, slug=slug, user_id=user_id, data=data)


def _save_profile(session: Session, *, slug: str, user_id: int, data: ProfileData) -> Profile:
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    # One save of a profile at a time (PostgreSQL): the next waits, then writes on top.
    session.execute(sa.select(Profile.id).where(Profile.id == profile.id).with_for_update())
    session.refresh(profile)
    event = profile.event
    _check_profile(data, event)
    tag_names, _ = parse_tags(",".join(data.interests))
    for field in ("name", "headline", "company", "bio", "looking_for", "can_help"):
        setattr(profile, field, getattr(data, field).strip())
    profile.format = data.format
    profile.max_meetings = data.max_meetings
    profile.share_contact = data.share_contact
    profile.listed = data.listed
    profile.reminders = data.reminders
    profile.links = "\n".join(data.links)
    profile.tags = event_tags(session, event, tag_names)
    profile.intents = [
        ProfileIntent(direction=direction, intent=intent)
        for direction in Direction
        for intent in sorted(set(getattr(data, direction)))
    ]
    chosen = set(data.available_slot_ids)
    profile.available_slots = [slot for slot in event.slots if slot.id in chosen]
    profile.completed_at = profile.completed_at or datetime.now(UTC)
    # Set on every save, also when only its tags, intents or slots changed: what reads the
    # profiles whole keeps them until this moves (planning/event_model.py).
    profile.updated_at = datetime.now(UTC)
    session.flush()
    return profile


def suggested_tags(session: Session, *, event_id: int, limit: int = 30) -> list[str]:
    """The event's most used interest tags, most used first."""
    uses = sa.func.count(profile_tags.c.profile_id)
    rows = session.execute(
        sa.select(Tag.name)
        .join(profile_tags, profile_tags.c.tag_id == Tag.id)
        .where(Tag.event_id == event_id)
        .group_by(Tag.id, Tag.name)
        .order_by(uses.desc(), Tag.name)
        .limit(limit)
    )
    return [name for (name,) in rows]


def slots_by_day(slots: list[Slot]) -> list[tuple[str, list[Slot]]]:
    """Slots grouped by their day, for grids: [("Mon 12 May", [slot, ...]), ...]."""
    days: dict[str, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.id)):
        days.setdefault(slot.starts_at.strftime("%a %d %b %Y"), []).append(slot)
    return list(days.items())

"""An event with its organisers, time slots and locations."""

import secrets
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.vocabulary import SLOT_FORMATS, AfterDeadline, sql_in

EVENT_NAME_MAX = 160
SLUG_MAX = 80
VENUE_MAX = 200
DESCRIPTION_MAX = 5000
TIMEZONE_MAX = 64
LOCATION_NAME_MAX = 80
SLOT_LABEL_MAX = 80


class EventRevision(db.Model):
    """How many committed transactions changed an event's data: pages that aggregate a whole
    event keep their figures under this number (`services/core/revisions.py`). A row of its own,
    written last in a transaction, so that it never waits behind the event row's locks."""

    __tablename__ = "event_revisions"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(default=0)


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_MAX), unique=True)
    name: Mapped[str] = mapped_column(sa.String(EVENT_NAME_MAX))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(VENUE_MAX), default="")
    timezone: Mapped[str] = mapped_column(sa.String(TIMEZONE_MAX), default="UTC")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # The secret in the join link; a new one makes old links invalid.
    join_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Makes the calendar ids of its meetings opaque (they name no row), and never changes.
    calendar_salt: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(16))
    # Signups close at the end of this day (event time); default: the last day of the event.
    join_closes_on: Mapped[date | None]
    max_meetings: Mapped[int] = mapped_column(default=6)
    # How many people each attendee may ask to meet from the directory; 0: no requests.
    requests_per_person: Mapped[int] = mapped_column(default=5, server_default="5")
    # Tables a matching run leaves free in every one-to-one slot, for requests and late joiners.
    tables_kept_free: Mapped[int] = mapped_column(default=0, server_default="0")
    # One-to-ones a matching run leaves under each attendee's cap, for requests to meet.
    meetings_kept_free: Mapped[int] = mapped_column(default=0, server_default="0")
    # A reminder this many minutes before each meeting (0: none), and on the morning of each
    # event day a "still coming today?" to everyone with meetings that day.
    reminder_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    morning_check: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    group_size_min: Mapped[int] = mapped_column(default=3)
    group_size_max: Mapped[int] = mapped_column(default=6)
    # The run whose plan is the event's schedule, once an organiser publishes one.
    published_run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("match_runs.id", ondelete="SET NULL", use_alter=True)
    )
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Attendees answer introductions until this moment (event local time); then what is
    # still pending is accepted or dropped (`after_deadline`), once (`responses_settled_at`).
    response_deadline: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=False))
    after_deadline: Mapped[str] = mapped_column(
        sa.String(16), default=AfterDeadline.ACCEPT, server_default=AfterDeadline.ACCEPT
    )
    responses_settled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    # Loaded only when asked (`undefer`), in the same query as the event.
    revision: Mapped[int] = column_property(
        sa.select(sa.func.coalesce(sa.func.max(EventRevision.revision), 0))
        .where(EventRevision.event_id == id)
        .correlate_except(EventRevision)
        .scalar_subquery(),
        deferred=True,
    )

    organisers: Mapped[list["EventOrganiser"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    # The slots and locations in use: one removed after publishing stays as a row (retired),
    # so that the meetings it cancelled keep their time and place in calendars and history.
    slots: Mapped[list["Slot"]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(Slot.starts_at, Slot.id)",
        primaryjoin="and_(Event.id == Slot.event_id, Slot.retired_at.is_(None))",
    )
    locations: Mapped[list["Location"]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(Location.name, Location.id)",
        primaryjoin="and_(Event.id == Location.event_id, Location.retired_at.is_(None))",
    )
    profiles: Mapped[list["Profile"]] = relationship(  # noqa: F821
        back_populates="event", cascade="all, delete-orphan"
    )
    tags: Mapped[list["Tag"]] = relationship(  # noqa: F821
        back_populates="event", cascade="all, delete-orphan"
    )
    runs: Mapped[list["MatchRun"]] = relationship(  # noqa: F821
        back_populates="event",
        cascade="all, delete-orphan",
        foreign_keys="MatchRun.event_id",
        order_by="MatchRun.id",
        passive_deletes=True,
    )
    published_run: Mapped["MatchRun | None"] = relationship(  # noqa: F821
        foreign_keys=[published_run_id], post_update=True
    )

    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint("max_meetings >= 1", name="max_meetings_positive"),
        sa.CheckConstraint(
            "group_size_min >= 2 AND group_size_max >= group_size_min",
            name="group_size_valid",
        ),
        sa.CheckConstraint(sql_in("after_deadline", AfterDeadline), name="after_deadline_known"),
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def join_deadline(self) -> date:
        return self.join_closes_on or self.ends_on

    def response_deadline_aware(self) -> datetime | None:
        if self.response_deadline is None:
            return None
        return self.response_deadline.replace(tzinfo=self.zone)

    def join_is_open(self, now: datetime) -> bool:
        """Whether signups are still open at `now` (an aware datetime)."""
        return now.astimezone(self.zone).date() <= self.join_deadline

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.slug}>"


class EventOrganiser(db.Model):
    __tablename__ = "event_organisers"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )

    event: Mapped[Event] = relationship(back_populates="organisers")
    user: Mapped["User"] = relationship(back_populates="organised")  # noqa: F821


class Slot(db.Model):
    """A time slot, in the event's local time (its time zone is on the event)."""

    __tablename__ = "slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=False))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=False))
    format: Mapped[str] = mapped_column(sa.String(16))
    label: Mapped[str] = mapped_column(sa.String(SLOT_LABEL_MAX), default="")
    # Removed from the timetable after publishing: kept for the meetings it cancelled.
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    event: Mapped[Event] = relationship(back_populates="slots")

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(sql_in("format", SLOT_FORMATS), name="format_known"),
    )

    def starts_at_aware(self) -> datetime:
        return self.starts_at.replace(tzinfo=self.event.zone)

    def ends_at_aware(self) -> datetime:
        return self.ends_at.replace(tzinfo=self.event.zone)


class Location(db.Model):
    """A table (capacity 2) or a room (capacity above 2) where meetings happen."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(LOCATION_NAME_MAX))
    capacity: Mapped[int]
    # Removed from the timetable after publishing: kept for the meetings it cancelled.
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    event: Mapped[Event] = relationship(back_populates="locations")

    __table_args__ = (
        sa.UniqueConstraint("event_id", "name"),
        sa.CheckConstraint("capacity >= 2", name="capacity_at_least_two"),
    )

    @property
    def kind(self) -> str:
        return "table" if self.capacity == 2 else "room"

    @property
    def code(self) -> str:
        """The short code printed on its sign, typed to check in at it."""
        return location_code(self.id)


# A location's code: its id scrambled into five characters nobody misreads (no 0/O, 1/I/L),
# one-to-one for every id below 31**5, so that it needs no column and no uniqueness check.
# Codes are not secrets: they are printed on the tables.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODES = len(CODE_ALPHABET) ** 5
_SCRAMBLE = 7_368_787  # coprime with 31, so multiplying by it modulo 31**5 is a bijection
_UNSCRAMBLE = pow(_SCRAMBLE, -1, _CODES)


def location_code(location_id: int) -> str:
    """The five-character code of the location with this id."""
    value = (location_id * _SCRAMBLE) % _CODES
    letters = []
    for _ in range(5):
        value, digit = divmod(value, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(reversed(letters))


def location_id_of(code: str) -> int | None:
    """The id behind a typed code (spaces, dashes and case forgiven); None if it is none."""
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(text) != 5 or any(ch not in CODE_ALPHABET for ch in text):
        return None
    value = 0
    for ch in text:
        value = value * len(CODE_ALPHABET) + CODE_ALPHABET.index(ch)
    return (value * _UNSCRAMBLE) % _CODES


class OrganiserMessage(db.Model):
    """A message the organisers sent to attendees of their event: a reminder to those who
    have not answered their introductions, or a message to everyone; kept to show what was
    sent and to limit how many go out a day."""

    __tablename__ = "organiser_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))  # "remind" or "everyone"
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    recipients: Mapped[int] = mapped_column(default=0)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

"""An attendee's interest profile for one event, with tags, intents and availability."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.vocabulary import ATTENDEE_FORMATS, INTENTS, AttendeeFormat, Direction, sql_in

HEADLINE_MAX = 120
COMPANY_MAX = 120
BIO_MAX = 2000
FREE_TEXT_MAX = 1000
LINKS_MAX = 5
LINK_MAX = 300
TAG_MAX = 40
TAGS_PER_PROFILE_MAX = 20

profile_tags = sa.Table(
    "profile_tags",
    db.metadata,
    sa.Column("profile_id", sa.ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

profile_slots = sa.Table(
    "availability",
    db.metadata,
    sa.Column("profile_id", sa.ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("slot_id", sa.ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(db.Model):
    """An interest tag, shared by the profiles of one event; stored lower-cased."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(TAG_MAX))

    event: Mapped["Event"] = relationship(back_populates="tags")  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("event_id", "name"),)


class ProfileIntent(db.Model):
    """One intent an attendee seeks or offers."""

    __tablename__ = "profile_intents"

    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    intent: Mapped[str] = mapped_column(sa.String(16), primary_key=True)

    profile: Mapped["Profile"] = relationship(back_populates="intents")

    __table_args__ = (
        sa.CheckConstraint(sql_in("direction", Direction), name="direction_known"),
        sa.CheckConstraint(sql_in("intent", INTENTS), name="intent_known"),
    )


class Profile(db.Model):
    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    headline: Mapped[str] = mapped_column(sa.String(HEADLINE_MAX), default="")
    company: Mapped[str] = mapped_column(sa.String(COMPANY_MAX), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    looking_for: Mapped[str] = mapped_column(sa.Text, default="")
    can_help: Mapped[str] = mapped_column(sa.Text, default="")
    format: Mapped[str] = mapped_column(sa.String(16), default=AttendeeFormat.ANY)
    # None: the event's default.
    max_meetings: Mapped[int | None]
    share_contact: Mapped[bool] = mapped_column(default=False)
    # Listed in the event's directory, where other attendees find them and ask to meet.
    listed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Web addresses the attendee adds to their contact details (one per line).
    links: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Wants a reminder before each meeting (when the event sends them).
    reminders: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # When the follow-up after the event (the people they met) was written to the outbox.
    followed_up_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Said "I'm free now" at the event: offered a meeting with others free now until then.
    free_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Hidden from introductions: left out of future runs and refills.
    hidden: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Their ticket was cancelled in the ticket shop: hidden from introductions until a ticket
    # of theirs counts again (they cannot show themselves meanwhile).
    ticket_cancelled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The secret in the address of the attendee's calendar feed; a new one revokes the old.
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Set the first time the attendee saves the profile form.
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True),
        default=lambda: datetime.now(UTC),
        onupdate=lambda: datetime.now(UTC),
    )

    event: Mapped["Event"] = relationship(back_populates="profiles")  # noqa: F821
    user: Mapped["User"] = relationship(back_populates="profiles")  # noqa: F821
    tags: Mapped[list[Tag]] = relationship(secondary=profile_tags, order_by=Tag.name)
    intents: Mapped[list[ProfileIntent]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )
    available_slots: Mapped[list["Slot"]] = relationship(  # noqa: F821
        secondary=profile_slots, order_by="Slot.starts_at"
    )

    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id"),
        sa.CheckConstraint(sql_in("format", ATTENDEE_FORMATS), name="format_known"),
        sa.CheckConstraint("max_meetings IS NULL OR max_meetings >= 1", name="max_positive"),
    )

    @classmethod
    def can_be_matched(cls) -> sa.ColumnElement[bool]:
        """The profiles matching plans for: filled in, and not hidden from introductions."""
        return cls.completed_at.is_not(None) & ~cls.hidden

    @classmethod
    def meeting_cap(cls, event_max: int) -> sa.ColumnElement[int]:
        """The most meetings a profile takes, in SQL: the engine's `Event.cap_of`."""
        return sa.func.coalesce(cls.max_meetings, event_max)

    def intent_names(self, direction: str) -> list[str]:
        return sorted(i.intent for i in self.intents if i.direction == direction)

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class ProfileVector(db.Model):
    """A profile's sentence embeddings (the semantic channel), computed outside the request
    after the profile is saved; `text_digest` says of which texts and model, so a vector of
    an older text is never used."""

    __tablename__ = "profile_vectors"

    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    text_digest: Mapped[str] = mapped_column(sa.String(64))
    # float32, little-endian, the model's dimensions long.
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # "Looking for" then "can help with", each as `vector` is (zeros for an empty text); none
    # on rows stored before they were computed (their digest no longer matches).
    free_vectors: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

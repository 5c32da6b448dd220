"""Matching runs, the meetings a finished run planned, and the organiser's rules on pairs."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.background import BackgroundWork
from matchmaker.vocabulary import (
    MeetingKind,
    MeetingOrigin,
    Outcome,
    PairRule,
    Response,
    TimeSuggestionState,
    sql_in,
)

TOPIC_MAX = 200


class MatchRun(BackgroundWork, db.Model):
    """One matching run of an event: its status, progress, the rules it used and its plan."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    started_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The engine's metrics once done; the pairs rules it used (ids of profiles), from the start.
    metrics: Mapped[dict | None] = mapped_column(sa.JSON)
    rules: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Once published: the run it replaced as the schedule (None the first time), and when
    # its attendees were told what changed (None until the announcement job has written it).
    replaced_run_id: Mapped[int | None]
    announced_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    event: Mapped["Event"] = relationship(  # noqa: F821
        back_populates="runs", foreign_keys=[event_id]
    )
    started_by: Mapped["User | None"] = relationship()  # noqa: F821
    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Meeting.id"
    )

    __table_args__ = BackgroundWork.state_checks()


class Meeting(db.Model):
    """A meeting a run planned: a slot, a location, its people, and why they should meet."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_runs.id", ondelete="CASCADE"), index=True
    )
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slots.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    score: Mapped[float]
    topic: Mapped[str] = mapped_column(sa.String(TOPIC_MAX), default="")
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    starters: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Set when it no longer takes place (an organiser cancelled it, someone declined it or
    # deleted their account): kept, so that calendars are told to remove it.
    cancelled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    origin: Mapped[str] = mapped_column(
        sa.String(16), default=MeetingOrigin.PLANNED, server_default=MeetingOrigin.PLANNED
    )
    # The calendar UID, frozen when its people change (an account deleted), so that calendars
    # still recognise the meeting; None: derived from the slot and the people.
    calendar_uid: Mapped[str | None] = mapped_column(sa.String(200))
    # Placed by an organiser's hand (moved to its slot and table): a re-plan keeps it there.
    pinned: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Raised each time its time or place changes, or it is cancelled: calendars (SEQUENCE)
    # take the higher one as the newer version of the same meeting.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")

    run: Mapped[MatchRun] = relationship(back_populates="meetings")
    slot: Mapped["Slot"] = relationship()  # noqa: F821
    location: Mapped["Location"] = relationship()  # noqa: F821
    seats: Mapped[list["MeetingSeat"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingSeat.position"
    )

    # No unique (run, slot, location): a cancelled meeting keeps its row and frees its table;
    # the engine's checker guards against double booking.
    __table_args__ = (
        sa.CheckConstraint(sql_in("kind", MeetingKind), name="kind_known"),
        sa.CheckConstraint(sql_in("origin", MeetingOrigin), name="origin_known"),
    )


class MeetingSeat(db.Model):
    """One attendee at a meeting, with what only they see: their answer to the introduction,
    whether they met, their rating and their note."""

    __tablename__ = "meeting_seats"

    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    response: Mapped[str] = mapped_column(
        sa.String(16), default=Response.PENDING, server_default=Response.PENDING
    )
    responded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    rating: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # When their reminder of this meeting was written to the outbox (once, ever).
    reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # When they said "I'm here" at its table (on the meeting page, or by the table's code).
    checked_in_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    meeting: Mapped[Meeting] = relationship(back_populates="seats")
    profile: Mapped["Profile"] = relationship()  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint(sql_in("response", Response), name="response_known"),
        sa.CheckConstraint(
            "outcome IS NULL OR " + sql_in("outcome", Outcome), name="outcome_known"
        ),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_1_to_5"),
    )


class PairRuleRow(db.Model):
    """An organiser's rule on two attendees of an event (kept by every later run)."""

    __tablename__ = "pair_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    # first_id < second_id, so that a pair has one row whatever order it was named in.
    first_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

    first: Mapped["Profile"] = relationship(foreign_keys=[first_id])  # noqa: F821
    second: Mapped["Profile"] = relationship(foreign_keys=[second_id])  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("event_id", "first_id", "second_id"),
        sa.CheckConstraint(sql_in("rule", PairRule), name="rule_known"),
        sa.CheckConstraint("first_id < second_id", name="pair_in_order"),
    )


class MeetingRequest(db.Model):
    """An attendee asked to meet someone listed in the event's directory. `meeting_id` is the
    one-to-one proposed for it (None: no common free slot and table was found); the request's
    state for the asker is read from that meeting, so a decline and "no slot" look alike."""

    __tablename__ = "meeting_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    asker_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.id", ondelete="CASCADE"))
    asked_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

    __table_args__ = (sa.Index("ix_meeting_requests_asker", "event_id", "asker_id"),)


class TimeSuggestion(db.Model):
    """One person of a one-to-one suggested another slot for it; the other confirms (the
    meeting moves there, to a table free then) or keeps the time it has."""

    __tablename__ = "time_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slots.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(
        sa.String(16), default=TimeSuggestionState.OPEN, server_default=TimeSuggestionState.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    slot: Mapped["Slot"] = relationship()  # noqa: F821

    __table_args__ = (sa.CheckConstraint(sql_in("state", TimeSuggestionState), name="state_known"),)


class DayCheck(db.Model):
    """The morning's "still coming today?" to one attendee with meetings that day: asked once,
    answered through the secret in its links; a "no" frees that day's meetings."""

    __tablename__ = "day_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.id", ondelete="CASCADE"))
    day: Mapped[date]
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    asked_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # None until answered; True: coming, False: not coming (their meetings that day freed).
    coming: Mapped[bool | None]
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    profile: Mapped["Profile"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("profile_id", "day"),)

"""Accounts: organisers and attendees are both users."""

import hashlib
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.extensions import db

# Werkzeug's scrypt (memory-hard); tests lower the cost to stay fast.
PASSWORD_METHOD = "scrypt:32768:8:1"
EMAIL_MAX = 254
NAME_MAX = 120


def hash_password(password: str) -> str:
    """A salted scrypt hash of the password."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(EMAIL_MAX), unique=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_organiser: Mapped[bool] = mapped_column(default=False)
    # True from sign-up until the person opens the link mailed to the address: until then
    # the account cannot log in (so nobody can use an address that is not theirs).
    confirmation_pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Raised at logout: every session and remember-me cookie issued before stops working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    # How many invitations this organiser may send a day, when an administrator raised it
    # (`flask allow-invitations`); None: the configured default for their account's age.
    invitations_per_day: Mapped[int | None]
    # The language they chose for pages and messages (None: their browser's).
    language: Mapped[str | None] = mapped_column(sa.String(8))

    organised: Mapped[list["EventOrganiser"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )
    profiles: Mapped[list["Profile"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def password_fingerprint(self) -> str:
        """A short digest of the password hash: it changes whenever the password does."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    def get_id(self) -> str:
        """The id kept in sessions and remember-me cookies. It carries the password's
        fingerprint and the session version, so a new password or a logout ends every
        other copy of the session."""
        return f"{self.id}:{self.password_fingerprint()}:{self.session_version}"

    def matches_session(self, session_id: str) -> bool:
        """Whether a stored session id is still this user's current one."""
        return session_id == self.get_id()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


NEXT_STEP_MAX = 300


class NextStep(db.Model):
    """What one person means to do next with someone they met (theirs alone), and the day to
    be reminded of it."""

    __tablename__ = "next_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    other_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(sa.String(NEXT_STEP_MAX), default="")
    remind_on: Mapped[date | None]
    # When the reminder was written to the outbox (None: not yet; a new date clears it).
    reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

    __table_args__ = (
        sa.UniqueConstraint("user_id", "other_user_id"),
        sa.Index("ix_next_steps_due", "remind_on", "reminded_at"),
    )

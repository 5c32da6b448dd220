"""An uploaded attendee list, parsed and waiting for the organiser to confirm it."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db


class AttendeeImport(db.Model):
    __tablename__ = "attendee_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    # One dict per data line: its line number, what confirming does with it, and its values.
    rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    applied_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # How many invitations applying it sent (they count toward the uploader's daily limit).
    invited: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

"""A long export (the whole event's attendee PDF) made outside the request, and its file."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.vocabulary import RunStatus, sql_in


class ExportJob(db.Model):
    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    large_print: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(16), default=RunStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    phase: Mapped[str] = mapped_column(sa.String(120), default="waiting for a worker")
    error: Mapped[str] = mapped_column(sa.Text, default="")
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint(sql_in("status", RunStatus), name="status_known"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
    )

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

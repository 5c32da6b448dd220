"""What every piece of work done outside the request records: where it stands, how far it
got, in words, when its worker last said it was alive, and why it failed (matching runs and
exports share it)."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.catalogue import N_
from matchmaker.vocabulary import JobStatus, sql_in

PHASE_MAX = 120


class BackgroundWork:
    """Columns and checks of a queued / running / done / failed piece of work."""

    status: Mapped[str] = mapped_column(sa.String(16), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    phase: Mapped[str] = mapped_column(sa.String(PHASE_MAX), default=N_("waiting for a worker"))
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Touched every few seconds by the process that holds the job (waiting its turn in this
    # process, or executing); None while it waits in a queue server's queue.
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @staticmethod
    def state_checks() -> tuple:
        return (
            sa.CheckConstraint(sql_in("status", JobStatus), name="status_known"),
            sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
        )

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

"""A long export (the whole event's attendee PDF) made outside the request, and its file."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.background import BackgroundWork


class ExportJob(BackgroundWork, db.Model):
    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    large_print: Mapped[bool] = mapped_column(default=False)
    # The language the PDF is written in: the organiser's who asked (None: English).
    language: Mapped[str | None] = mapped_column(sa.String(8))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)

    __table_args__ = BackgroundWork.state_checks()

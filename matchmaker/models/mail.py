"""Mail waiting to leave: written in the transaction of the change it tells of, sent by a
background job, retried with backoff, and never sent twice."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.vocabulary import MailStatus, sql_in

SUBJECT_MAX = 255
ADDRESS_MAX = 254


class OutgoingMail(db.Model):
    """One message to one address, and where its delivery stands."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(sa.String(ADDRESS_MAX))
    subject: Mapped[str] = mapped_column(sa.String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    # When it may next be tried (its first try: at once), and when a sender took it.
    due_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    claimed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    error: Mapped[str] = mapped_column(sa.Text, default="")
    # Files sent with it: [{"filename", "content_type", "data" (base64)}], None for none.
    attachments: Mapped[list | None] = mapped_column(sa.JSON)

    __table_args__ = (
        sa.CheckConstraint(sql_in("status", MailStatus), name="status_known"),
        sa.Index("ix_outgoing_mail_waiting", "status", "due_at"),
    )

"""Organisers' webhooks: addresses told of what happens at their event, and each delivery
with where it stands (written in the transaction of the change, sent by a background job,
retried with growing waits)."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.catalogue import N_
from matchmaker.extensions import db
from matchmaker.vocabulary import sql_in

URL_MAX = 2000
WEBHOOK_KINDS = ("attendee.joined", "plan.published", "meeting.changed", "answer.given")
DELIVERY_STATUSES = (N_("queued"), N_("sending"), N_("delivered"), N_("failed"))


class Webhook(db.Model):
    """An address of the organisers' that is sent the event's changes of the kinds chosen,
    signed with its secret (the previous one too, for a day after it was rotated)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(URL_MAX))
    kinds: Mapped[list] = mapped_column(sa.JSON)
    secret: Mapped[str] = mapped_column(sa.String(80))
    previous_secret: Mapped[str | None] = mapped_column(sa.String(80))
    previous_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

    deliveries: Mapped[list["WebhookDelivery"]] = relationship(
        back_populates="webhook", cascade="all, delete-orphan", passive_deletes=True
    )


class WebhookDelivery(db.Model):
    """One message to one webhook, the same body and id on every try."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    due_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    claimed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The receiver's last answer (its HTTP status), or why there was none.
    response_status: Mapped[int | None]
    error: Mapped[str] = mapped_column(sa.Text, default="")

    webhook: Mapped[Webhook] = relationship(back_populates="deliveries")

    __table_args__ = (
        sa.CheckConstraint(sql_in("status", DELIVERY_STATUSES), name="status_known"),
        sa.Index("ix_webhook_deliveries_waiting", "status", "due_at"),
    )

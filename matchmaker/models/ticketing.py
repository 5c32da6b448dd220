"""An event's link to its ticket shop (pretix): where to read its orders, which answers to
its questions fill which profile fields, and the secret address pretix tells of changes."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db

BASE_URL_MAX = 500
SLUG_MAX = 100
TOKEN_MAX = 200


class PretixConnection(db.Model):
    __tablename__ = "pretix_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    base_url: Mapped[str] = mapped_column(sa.String(BASE_URL_MAX))
    organizer_slug: Mapped[str] = mapped_column(sa.String(SLUG_MAX))
    event_slug: Mapped[str] = mapped_column(sa.String(SLUG_MAX))
    # pretix's API token: sent to pretix with each read, never shown again.
    api_token: Mapped[str] = mapped_column(sa.String(TOKEN_MAX))
    # The secret in the address pretix posts its webhooks to.
    webhook_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Orders placed but not paid yet count too (a free event's are paid at once).
    count_pending: Mapped[bool] = mapped_column(default=False)
    # The shop's questions, as last read: [{"identifier", "question", "type"}].
    questions: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Question identifier -> profile field (interests, company, headline, seeks, offers).
    mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )
    synced_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # What the last import or webhook did, for the organisers' page.
    last_result: Mapped[str] = mapped_column(sa.Text, default="")

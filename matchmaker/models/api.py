"""What the REST API knows of its callers: organisers' tokens, stored as digests."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.vocabulary import sql_in

TOKEN_NAME_MAX = 80


class TokenScope:
    READ = "read"  # reads every resource of the organiser's events
    WRITE = "write"  # and creates, starts and publishes


TOKEN_SCOPES = (TokenScope.READ, TokenScope.WRITE)


class ApiToken(db.Model):
    """An organiser's key to the API: the secret is shown once and only its SHA-256 digest
    is kept (a random 256-bit secret needs no slow hash); `prefix` names it on the page."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(TOKEN_NAME_MAX))
    scope: Mapped[str] = mapped_column(sa.String(8))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (sa.CheckConstraint(sql_in("scope", TOKEN_SCOPES), name="scope_known"),)

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

"""Work written as rows to be done by whoever takes it first (mail to send, webhook deliveries
to post): each row is queued, taken (sending) by one sender, and marked by it; a row a sender
took and never marked (its process stopped) is queued again after a while. The models have
`status`, `due_at`, `claimed_at` and `attempts`."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

QUEUED, SENDING = "queued", "sending"


def claim_due(session: Session, model, *, now: datetime, limit: int) -> list:
    """Take up to `limit` rows that are due (oldest first) for this sender, counting a try,
    and commit: two senders never take the same row (PostgreSQL: the rows are locked and
    others skip them; everywhere: only a row still queued is taken)."""
    due = session.scalars(
        sa.select(model.id)
        .where(model.status == QUEUED, model.due_at <= now)
        .order_by(model.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    taken = []
    if due:
        taken = session.scalars(
            sa.update(model)
            .where(model.id.in_(due), model.status == QUEUED)
            .values(status=SENDING, claimed_at=now, attempts=model.attempts + 1)
            .returning(model.id)
            .execution_options(synchronize_session=False)
        ).all()
    session.commit()
    if not taken:
        return []
    return list(
        session.scalars(
            sa.select(model)
            .where(model.id.in_(taken))
            .order_by(model.id)
            .execution_options(populate_existing=True)
        )
    )


def release_abandoned(session: Session, model, *, now: datetime, expires: timedelta) -> int:
    """Rows taken by a sender that stopped before marking them: due again; flush only."""
    return session.execute(
        sa.update(model)
        .where(model.status == SENDING, model.claimed_at < now - expires)
        .values(status=QUEUED, due_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


def waiting(session: Session, model, *, now: datetime) -> int:
    """How many rows are due now."""
    return session.scalar(
        sa.select(sa.func.count(model.id)).where(model.status == QUEUED, model.due_at <= now)
    )

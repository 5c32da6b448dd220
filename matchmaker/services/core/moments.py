"""Moments as the database keeps them: in UTC. PostgreSQL gives them back aware; SQLite gives
them back naive (the UTC wall time), which `aware` makes aware again."""

from datetime import UTC, datetime


def aware(moment: datetime) -> datetime:
    """A stored moment, aware in UTC whichever database it came from."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_store(moment: datetime) -> datetime:
    """An aware moment in UTC, as it should be stored (SQLite keeps only the wall time)."""
    return moment.astimezone(UTC)

"""The matching engine: pure, deterministic, no Flask and no SQLAlchemy."""

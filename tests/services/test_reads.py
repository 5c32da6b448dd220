"""A session made to read without a transaction reads in autocommit, refuses to write, and
hands writes to a transaction of their own."""

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Profile
from matchmaker.services.core import reads
from tests import factories


def test_a_reads_only_session_reads_and_refuses_to_write(app, session):
    ev, profiles = factories.matchable_event(session, people=2)
    profile_id = profiles[0].id
    db.session.remove()

    reads.read_without_transaction(db.session)
    profile = db.session.get(Profile, profile_id)
    raw = db.session.connection().connection.dbapi_connection
    # psycopg says autocommit; Python 3.11's sqlite3 says it with isolation_level None.
    autocommit = (
        raw.autocommit is True if hasattr(raw, "autocommit") else raw.isolation_level is None
    )
    profile.name = "Changed on a read"

    assert reads.is_reads_only(db.session)
    assert autocommit
    with pytest.raises(reads.WriteOnReadsOnly):
        db.session.flush()
    db.session.rollback()
    db.session.remove()
    assert db.session.get(Profile, profile_id).name == profiles[0].name


def test_writing_from_a_reads_only_session_commits_on_its_own(app, session):
    ev, profiles = factories.matchable_event(session, people=2)
    profile_id = profiles[0].id
    db.session.remove()
    reads.read_without_transaction(db.session)

    with reads.writing(db.session) as writer:
        assert writer is not db.session
        writer.get(Profile, profile_id).headline = "Written apart"
        writer.commit()

    seen = db.session.scalar(sa.select(Profile.headline).where(Profile.id == profile_id))
    assert seen == "Written apart"


def test_writing_from_an_ordinary_session_is_that_session(session):
    with reads.writing(session) as writer:
        assert writer is session


def test_a_session_done_reading_writes_in_transactions_again(app, session):
    ev, profiles = factories.matchable_event(session, people=2)
    profile_id = profiles[0].id
    db.session.remove()
    reads.read_without_transaction(db.session)
    db.session.get(Profile, profile_id)

    reads.done_reading(db.session)
    db.session.get(Profile, profile_id).headline = "Written in a transaction"
    db.session.flush()
    raw = db.session.connection().connection.dbapi_connection
    autocommit = (
        raw.autocommit is True if hasattr(raw, "autocommit") else raw.isolation_level is None
    )
    db.session.rollback()

    assert not reads.is_reads_only(db.session)
    assert not autocommit
    assert db.session.get(Profile, profile_id).headline == profiles[0].headline

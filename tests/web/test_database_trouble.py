"""When the database refuses or is locked: 503 with Retry-After from a page that needs no
database, within a bounded wait; a health endpoint for load balancers."""

import os
import sqlite3
import time

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.errors import DATABASE_DOWN, RACE
from matchmaker.extensions import db

PG_URL = os.environ.get("MATCHMAKER_TEST_DATABASE_URL")


def _unreachable_url(tmp_path) -> str:
    if PG_URL:  # nothing listens on port 1
        return str(sa.make_url(PG_URL).set(drivername="postgresql+psycopg", port=1))
    return f"sqlite:///{tmp_path}/missing-folder/db.sqlite"


def test_a_database_that_refuses_gives_503_with_retry_after(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": _unreachable_url(tmp_path),
        }
    )
    client = app.test_client()

    started = time.perf_counter()
    response = client.post("/login", data={"email": "olga@example.org", "password": "secret pw 1"})
    waited = time.perf_counter() - started

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert DATABASE_DOWN in response.get_data(as_text=True)
    assert waited < 10
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["status"] == "unavailable"


@pytest.mark.skipif(bool(PG_URL), reason="a file lock is SQLite's own trouble")
def test_a_locked_sqlite_file_gives_503_within_the_wait(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "MATCHMAKER_DB_WAIT_SECONDS": 0.5,
        }
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["timeout"] = 0.5
    locker = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    locker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        response = app.test_client().post(
            "/signup",
            data={
                "name": "Olga",
                "email": "olga@example.org",
                "password": "long enough pw",
                "confirm": "long enough pw",
            },
        )
        waited = time.perf_counter() - started
    finally:
        locker.rollback()
        locker.close()
        with app.app_context():
            db.engine.dispose()

    assert response.status_code == 503
    assert waited < 5


def test_the_health_endpoint_says_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "app": "ok", "database": "ok", "queue": "ok"}


def test_a_concurrent_change_gives_409_and_the_error_page_renders(app, client, session):
    from sqlalchemy.exc import IntegrityError

    @app.get("/test-race")
    def race():
        db.session.execute(sa.text("SELECT 1"))
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    response = client.get("/test-race")

    assert response.status_code == 409
    assert RACE in response.get_data(as_text=True)


def test_after_a_failed_statement_the_error_page_still_renders_for_the_user(app, client, session):
    from tests import factories

    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-broken")
    def broken():
        try:  # on PostgreSQL this aborts the transaction: every later statement fails
            db.session.execute(sa.text("SELECT * FROM no_such_table"))
        except sa.exc.ProgrammingError:
            pass
        except sa.exc.OperationalError:
            pass
        raise RuntimeError("a bug")

    factories.organiser(session, email="olga@example.org")
    factories.login(client, "olga@example.org")
    response = client.get("/test-broken")

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "olga@example.org" in page  # the page read the user after the rollback

"""A new app and a fresh database per test: SQLite by default, PostgreSQL when
MATCHMAKER_TEST_DATABASE_URL is set. The schema comes from the migrations, built once per
test process into a template that each test copies."""

import contextlib
import itertools
import os
import shutil

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

os.environ.setdefault("SECRET_KEY", "test-secret-key")
# The semantic channel loads a model (two seconds) per process: tests that need it turn it on.
os.environ.setdefault("MATCHMAKER_SEMANTIC", "off")
# No process of a test sweeps for left-behind work unless its test asks (tests/web/faults).
os.environ.setdefault("MATCHMAKER_SWEEP_SECONDS", "0")

from matchmaker import create_app
from matchmaker.extensions import db

PG_URL = os.environ.get("MATCHMAKER_TEST_DATABASE_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_counter = itertools.count()


def _pg_url(name: str) -> str:
    url = sa.make_url(PG_URL).set(drivername="postgresql+psycopg")
    return url.set(database=name).render_as_string(hide_password=False)


def _admin_engine():
    return sa.create_engine(_pg_url(sa.make_url(PG_URL).database), isolation_level="AUTOCOMMIT")


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """Full-cost scrypt takes ~70 ms a hash; tests hash hundreds of passwords."""
    from matchmaker.models import user

    user.PASSWORD_METHOD = "scrypt:1024:8:1"


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """A database migrated to head, for tests to copy."""
    if PG_URL:
        name = f"mm_template_{WORKER}"
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        _migrate(_pg_url(name))
        yield name
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite"
        _migrate(f"sqlite:///{path}")
        yield path


@contextlib.contextmanager
def _fresh_database(template_database, folder):
    """A copy of the migrated template, dropped afterwards; yields its URL."""
    if PG_URL:
        name = f"mm_test_{WORKER}_{next(_counter)}"
        admin = _admin_engine()
        with admin.connect() as conn:
            # One left by a run that was killed before it could drop it.
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"'))
        try:
            yield _pg_url(name)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        path = folder / f"test-{next(_counter)}.sqlite"
        shutil.copyfile(template_database, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def database_url(template_database, tmp_path):
    with _fresh_database(template_database, tmp_path) as url:
        yield url


@pytest.fixture
def another_database(template_database, tmp_path):
    """For a test that compares two databases: `with another_database() as session:` runs
    its block in a second app, on a fresh database of its own."""

    @contextlib.contextmanager
    def open_another():
        with _fresh_database(template_database, tmp_path) as url:
            other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
            with other.app_context():
                try:
                    yield db.session
                finally:
                    db.session.remove()
                    db.engine.dispose()

    return open_another


class OwnContextClient(FlaskClient):
    """Each request runs in an app context of its own, as on a server: its own `g` (so its own
    logged-in user) and its own database session, never the test's. What the test wrote
    through services before is committed first, as the request that wrote it would have."""

    def open(self, *args, **kwargs):
        if db.session().in_transaction():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


def test_app(database_url, **config):
    """A test's app on its database, current while the generator runs (fixtures yield from
    it); `config` adds to or overrides the tests' settings."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "matchmaker.test",
            "MATCHMAKER_BASE_URL": "http://matchmaker.test",
            # A job runs right after the commit of the request that started it, so that a
            # test sees its outcome (and its mail); tests of the executor turn this off.
            "MATCHMAKER_JOBS_INLINE": True,
            **config,
        }
    )
    app.test_client_class = OwnContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


test_app.__test__ = False  # a builder, not a test


@pytest.fixture
def app(database_url):
    yield from test_app(database_url)


@pytest.fixture
def session(app):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_server():
    """A client of the test Redis; the test skips without one (fails where CI requires it)."""
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("MATCHMAKER_REDIS") == "required":
            pytest.fail(f"Redis is required for this test but {REDIS_URL} does not answer.")
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield server
    server.close()

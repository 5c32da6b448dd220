"""A demo event of N attendees, matched and published in a fresh database, for the benchmarks
that measure what happens after publishing (exports, refills)."""

import tempfile
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa


def fresh_postgres(url: str, name: str) -> str:
    """The URL of a new, empty database `name` on the server of `url` (dropped first)."""
    base = sa.make_url(url).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def published_demo(
    attendees: int,
    database: str | None = None,
    name: str = "mm_bench_published",
    publish: bool = True,
    tables: int | None = None,
) -> int:
    """Push an app context on a fresh database (a SQLite file, or a new PostgreSQL database
    `name` beside `database`) holding the demo event of `attendees` people, matched and
    published (or only matched), with `tables` tables of two (default: a quarter of the
    attendees, at most 500); return the event's id (`db.engine.url` says where the
    database is)."""
    from flask_migrate import upgrade

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.services import demo
    from matchmaker.services.planning import matching, publishing
    from matchmaker.services.setup import timetable
    from tests.fakes import RecordingMailer

    if database:
        url = fresh_postgres(database, name)
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='mm-bench-')}/b.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    app.app_context().push()
    upgrade()
    event = demo.seed_demo(db.session, attendees=attendees).event
    wanted = tables or min(500, max(1, attendees // 4))
    for start in range(0, wanted, 500):  # the page adds at most 500 at a time
        timetable.add_locations(
            db.session, event=event, name=f"Hall {start // 500 + 1} table", capacity=2,
            count=min(500, wanted - start),
        )  # fmt: skip
    run = matching.start_run(
        db.session, event=event, actor_id=None, now=datetime.now(UTC),
        timeout=timedelta(hours=1),
    )  # fmt: skip
    matching.execute_run(db.session, run_id=run.id)
    if publish:
        publishing.publish_run(
            db.session, event=event, run_id=run.id, now=datetime.now(UTC),
            mailer=RecordingMailer(), schedule_link="x",
        )  # fmt: skip
    db.session.commit()
    if database:  # what autovacuum does within a minute of such a load: planner statistics
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    return event.id

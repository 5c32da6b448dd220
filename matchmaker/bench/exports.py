"""How long the exports take: the whole-event attendee PDF for 1,000 attendees and the CSV
and iCalendar of 10,000, on a demo event matched and published in a fresh SQLite database.

    .venv/bin/python -m matchmaker.bench.exports [--pdf 1000] [--files 10000]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta


def _published(attendees: int):
    """A fresh app whose demo event of `attendees` people is matched and published."""
    from flask_migrate import upgrade

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.services import demo, matching, publishing, timetable
    from matchmaker.services.messages import RecordingMailer

    folder = tempfile.mkdtemp(prefix="mm-bench-exports-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.sqlite", "TESTING": True})
    context = app.app_context()
    context.push()
    upgrade()
    event = demo.seed_demo(db.session, attendees=attendees).event
    owner = event.organisers[0].user_id
    timetable.add_locations(
        db.session, event_id=event.id, actor_id=owner, name="Hall table", capacity=2,
        count=min(500, max(1, attendees // 4)),
    )  # fmt: skip
    run = matching.start_run(
        db.session, event_id=event.id, actor_id=None, now=datetime.now(UTC),
        timeout=timedelta(hours=1),
    )  # fmt: skip
    matching.execute_run(db.session, run_id=run.id)
    publishing.publish_run(
        db.session, event_id=event.id, actor_id=None, run_id=run.id, now=datetime.now(UTC),
        mailer=RecordingMailer(), schedule_link="x",
    )  # fmt: skip
    return event.id


def _time(label: str, work, repeat: int = 3) -> None:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(work().data)
        seconds.append(time.perf_counter() - started)
    print(f"{label}: median {statistics.median(seconds):.2f} s of {repeat} ({size:,} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=int, default=1000, help="attendees for the PDF")
    parser.add_argument("--files", type=int, default=10000, help="attendees for CSV and ICS")
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench")

    from matchmaker.exports.csv import schedule_csv
    from matchmaker.exports.ical import schedule_ics
    from matchmaker.exports.pdf import attendees_pdf
    from matchmaker.extensions import db
    from matchmaker.services import exports

    def schedule(event_id):
        return exports.published_schedule(db.session, event_id=event_id, actor_id=None)

    event_id = _published(args.pdf)
    people = len({r.email for r in schedule(event_id).rows})
    _time(
        f"attendees PDF, {people} attendees with meetings",
        lambda: attendees_pdf(schedule(event_id)),
    )
    event_id = _published(args.files)
    rows = schedule(event_id).rows
    print(f"{args.files} attendees: {len(rows)} attendee-meeting rows")
    _time("CSV", lambda: schedule_csv(schedule(event_id)))
    _time(
        "iCalendar (the event's)",
        lambda: schedule_ics(schedule(event_id), host="h", per_person=False),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

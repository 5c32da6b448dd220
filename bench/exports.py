"""How long the exports take: the whole-event attendee PDF for 1,000 attendees and the CSV
and iCalendar of 10,000, on a demo event matched and published in a fresh SQLite database.

    .venv/bin/python -m bench.exports [--pdf 1000] [--files 10000]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime

from bench.published import published_demo


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
    from matchmaker.models import Event
    from matchmaker.services.schedules import published

    def schedule(event_id):
        event = db.session.get(Event, event_id)
        return published.published_schedule(db.session, event=event, now=datetime.now(UTC))

    event_id = published_demo(args.pdf)
    people = len({r.email for r in schedule(event_id).rows})
    _time(
        f"attendees PDF, {people} attendees with meetings",
        lambda: attendees_pdf(schedule(event_id)),
    )
    event_id = published_demo(args.files)
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

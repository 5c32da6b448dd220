"""How long the reminders of one full slot of a large event take to leave: written to the
outbox by the event-day job (one transaction), then sent by two mail workers side by side
through a transport that accepts each message at once (what is measured is matchmaker's
part, not an SMTP server's).

The demo's attendees (N) are seeded in a fresh database; one one-to-one slot gets a meeting
for every two of them (N / 2 meetings, N seats, each wanting reminders), published, and the
clock is set five minutes before that slot.

    .venv/bin/python -m bench.reminders --attendees 20000 \\
        --database postgresql://postgres@127.0.0.1:5432/test
"""

import argparse
import contextlib
import os
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta

from bench.published import fresh_postgres


class _Accepting:
    """A transport whose server accepts every message at once."""

    def __init__(self):
        self.sent = 0
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def connection(self):
        def send(_message):
            with self.lock:
                self.sent += 1

        yield send


def _slot_full_of_meetings(session, event, now):
    """A published run whose first one-to-one slot seats everyone in pairs (bulk inserts)."""
    import sqlalchemy as sa

    from matchmaker.models import MatchRun, Meeting, MeetingSeat, Profile

    slot = min((s for s in event.slots if s.format == "one_to_one"), key=lambda s: s.starts_at)
    location = event.locations[0]
    run = MatchRun(event_id=event.id, status="done", rules={}, started_at=now)
    session.add(run)
    session.flush()
    people = session.scalars(
        sa.select(Profile.id).where(Profile.event_id == event.id).order_by(Profile.id)
    ).all()
    pairs = [people[k : k + 2] for k in range(0, len(people) - 1, 2)]
    session.execute(
        sa.insert(Meeting),
        [
            {"run_id": run.id, "slot_id": slot.id, "location_id": location.id,
             "kind": "one_to_one", "score": 0.5, "topic": "", "reasons": [], "starters": []}
            for _ in pairs
        ],
    )  # fmt: skip
    ids = session.scalars(
        sa.select(Meeting.id).where(Meeting.run_id == run.id).order_by(Meeting.id)
    ).all()
    session.execute(
        sa.insert(MeetingSeat),
        [
            {"meeting_id": m, "profile_id": p, "position": k, "response": "accepted"}
            for m, pair in zip(ids, pairs, strict=True)
            for k, p in enumerate(pair)
        ],
    )
    event.published_run_id, event.published_at = run.id, now
    session.commit()
    return slot, len(pairs) * 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=20000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench")

    import tempfile

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import MeetingSeat, OutgoingMail
    from matchmaker.services import demo
    from matchmaker.services.core import outbox
    from matchmaker.services.introductions import event_day

    if args.database:
        url = fresh_postgres(args.database, "mm_bench_reminders")
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='mm-bench-')}/b.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    app.app_context().push()
    upgrade()
    print(f"seeding {args.attendees} attendees ...", flush=True)
    event = demo.seed_demo(db.session, attendees=args.attendees).event
    db.session.commit()
    slot, seats = _slot_full_of_meetings(db.session, event, datetime.now(UTC))
    now = slot.starts_at_aware() - timedelta(minutes=5)
    links = event_day.Links(
        meeting=lambda slug, m: f"https://meet.example.org/events/{slug}/introductions/{m}",
        day_check=lambda token: f"https://meet.example.org/day/{token}",
    )
    writing, sending, total = [], [], []
    for _ in range(args.repeat):
        db.session.execute(sa.update(MeetingSeat).values(reminded_at=None))
        db.session.execute(sa.delete(OutgoingMail))
        db.session.commit()
        started = time.perf_counter()
        mailer = outbox.Outbox(db.session(), on_commit=lambda: None)
        written = event_day.send_reminders(db.session, now=now, mailer=mailer, links=links)
        db.session.commit()
        wrote = time.perf_counter()
        transport = _Accepting()

        def worker(transport=transport):
            with app.app_context():
                outbox.deliver_due(db.session, transport, clock=lambda: now)
                db.session.remove()

        workers = [threading.Thread(target=worker) for _ in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        done = time.perf_counter()
        assert written == seats == transport.sent, (written, seats, transport.sent)
        writing.append(wrote - started)
        sending.append(done - wrote)
        total.append(done - started)
    print(f"database: {db.engine.url.get_backend_name()}; {seats} reminders in one slot")
    print(f"written to the outbox (one transaction): median {statistics.median(writing):.1f} s")
    print(f"sent by two workers:                     median {statistics.median(sending):.1f} s")
    print(f"all left:                                median {statistics.median(total):.1f} s "
          f"(target 60 s; runs: {', '.join(f'{t:.1f}' for t in total)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

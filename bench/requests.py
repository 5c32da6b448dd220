"""How long the directory and a request to meet take on a published plan, and whether the
plan keeps every rule after many requests.

A demo event of N attendees (tables for a quarter of them, the demo's 4 kept free in every
slot) is matched and published in a fresh database and everyone is listed; then random
attendees who want one-to-ones open the directory and ask the first person it offers, through
the services the pages call (the proposal, the checker on it, the message). Each is timed; at
the end the engine's checker reads the whole published plan.

    .venv/bin/python -m bench.requests --attendees 5000 --requests 100
    .venv/bin/python -m bench.requests --database postgresql://postgres@127.0.0.1:5432/test
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta

from bench.published import published_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench")

    import sqlalchemy as sa

    from matchmaker.extensions import db
    from matchmaker.models import Event, Profile
    from matchmaker.services.core.messages import Notice
    from matchmaker.services.introductions import requests
    from matchmaker.services.planning import matching
    from tests.fakes import RecordingMailer

    print(f"seeding, matching and publishing {args.attendees} attendees ...", flush=True)
    event_id = published_demo(args.attendees, args.database, name="mm_bench_requests")
    event = db.session.get(Event, event_id)
    event.requests_per_person = 50
    db.session.execute(sa.update(Profile).where(Profile.event_id == event_id).values(listed=True))
    db.session.commit()
    now = min(s.starts_at_aware() for s in event.slots) - timedelta(days=1)
    askers = db.session.execute(
        sa.select(Profile.user_id).where(
            Profile.event_id == event_id,
            Profile.completed_at.is_not(None),
            Profile.format != "group",
        )
    ).scalars().all()  # fmt: skip
    rng = random.Random(args.seed)
    mailer = RecordingMailer()
    listing, asking, placed, none_offered = [], [], 0, 0
    for _ in range(args.requests):
        user_id = rng.choice(askers)
        db.session.expire_all()
        started = time.perf_counter()
        found = requests.directory(db.session, slug=event.slug, user_id=user_id, now=now)
        listing.append(time.perf_counter() - started)
        offered = [p for p in found.people if p.free_together and not p.asked]
        if not offered:
            none_offered += 1
            continue
        started = time.perf_counter()
        request = requests.ask(
            db.session, slug=event.slug, user_id=user_id, asked_id=offered[0].profile_id,
            note="", now=now, notice=Notice(mailer, "x"),
        )  # fmt: skip
        db.session.commit()
        asking.append(time.perf_counter() - started)
        placed += request.meeting_id is not None
    problems = matching.check_run(db.session, event=event, run_id=event.published_run_id)

    def summary(values):
        ordered = statistics.quantiles(values, n=20) if len(values) > 1 else values
        return (
            f"median {1000 * statistics.median(values):.0f} ms, p95 {1000 * ordered[-1]:.0f} "
            f"ms, max {1000 * max(values):.0f} ms"
        )

    where = "PostgreSQL" if args.database else "SQLite"
    print(f"{args.attendees} attendees, everyone listed ({where})")
    print(f"the directory, as an attendee opens it: {summary(listing)}")
    if asking:
        print(f"a request with its proposal: {summary(asking)}")
    print(
        f"{placed} of {len(asking)} requests placed; {none_offered} readers had nobody with "
        f"time left on their first page; messages sent: {len(mailer.sent)}"
    )
    print(f"checker on the whole plan: {len(problems)} problems")
    for problem in problems[:5]:
        print("  ", problem)
    return 0 if not problems and placed == len(asking) else 1


if __name__ == "__main__":
    sys.exit(main())

"""What the organiser's dashboards cost right after a change, and while nothing changes.

    .venv/bin/python -m bench.dashboards --attendees 5000 \
        --database postgresql://postgres@127.0.0.1:5432/test

The overview and the plan review keep their figures until the event changes
(`services/core/revisions.py`). This seeds the demo event of N attendees, matched and published (a
fresh database beside --database, or SQLite without it), then, a few times over: changes one
profile, opens both pages once (they compute their figures) and again (they keep them), in
the app through Flask's test client, logged in as the organiser. Prints median milliseconds.
"""

import argparse
import re
import statistics
import time

import sqlalchemy as sa

from bench.published import published_demo


def _login(client, email: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--changes", type=int, default=7)
    args = parser.parse_args(argv)

    from flask import current_app

    from matchmaker.extensions import db
    from matchmaker.models import Event, Profile

    event_id = published_demo(args.attendees, args.database, name="mm_bench_dashboards")
    app = current_app._get_current_object()
    app.config.update(TESTING=False, MATCHMAKER_BASE_URL="http://localhost")
    run_id = db.session.get(Event, event_id).published_run_id
    profile_ids = db.session.scalars(
        sa.select(Profile.id).where(Profile.event_id == event_id).limit(args.changes)
    ).all()
    db.session.commit()
    client = app.test_client()
    _login(client, "organiser@demo.test", "organise-demo")
    pages = {
        "overview": f"/organiser/events/{event_id}",
        "plan review": f"/organiser/events/{event_id}/runs/{run_id}",
    }
    first: dict[str, list[float]] = {name: [] for name in pages}
    kept: dict[str, list[float]] = {name: [] for name in pages}
    for k, profile_id in enumerate(profile_ids):
        db.session.get(Profile, profile_id).headline = f"Changed {k}"
        db.session.commit()  # a new revision: the next views compute
        for name, path in pages.items():
            for times in (first[name], kept[name]):
                start = time.perf_counter()
                assert client.get(path).status_code == 200, path
                times.append((time.perf_counter() - start) * 1000)
    print(
        f"{args.attendees} attendees, {db.engine.dialect.name}; {len(profile_ids)} changes; "
        "median ms"
    )
    for name in pages:
        print(
            f"{name:<12} first view after a change {statistics.median(first[name]):7.1f}   "
            f"kept {statistics.median(kept[name]):5.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How long the REST API takes at the size of a conference: lists of attendees, profiles and
the published schedule (first and last page of 100), a revalidation answered 304 by its ETag,
and inviting one attendee (with a webhook registered, so the delivery is written too).

A demo event of N attendees is matched and published in a fresh database; calls go through
the app with an organiser's write token, each repeated; medians are printed.

    .venv/bin/python -m bench.api --attendees 5000 \\
        --database postgresql://postgres@127.0.0.1:5432/test
"""

import argparse
import os
import statistics
import time

from bench.published import published_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench")

    from datetime import UTC, datetime

    from flask import current_app

    from matchmaker.extensions import db
    from matchmaker.models import Event, EventOrganiser, User, WebhookDelivery
    from matchmaker.services.core import webhooks
    from matchmaker.services.people import api_tokens

    print(f"seeding, matching and publishing {args.attendees} attendees ...", flush=True)
    event_id = published_demo(args.attendees, args.database, name="mm_bench_api")
    event = db.session.get(Event, event_id)
    owner = db.session.get(User, db.session.query(EventOrganiser.user_id)
                           .filter_by(event_id=event_id).scalar())  # fmt: skip
    secret = api_tokens.create_token(db.session, user=owner, name="bench", scope="write",
                                     now=datetime.now(UTC)).secret  # fmt: skip
    webhooks.add_webhook(db.session, event=event, url="http://127.0.0.1:9/hook",
                         kinds=["attendee.joined"], allow_private=True)  # fmt: skip
    db.session.commit()
    current_app.config["RATELIMIT_ENABLED"] = False
    client = current_app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/events/{event_id}"
    last = -(-args.attendees // 100)

    def timed(method: str, path: str, **kwargs) -> tuple[float, object]:
        began = time.perf_counter()
        answer = client.open(path, method=method, headers={**auth, **kwargs.pop("headers", {})},
                             **kwargs)  # fmt: skip
        return (time.perf_counter() - began) * 1000, answer

    rows = []
    for label, path in [
        ("attendees, first page of 100", f"{base}/attendees?page_size=100"),
        (f"attendees, page {last} of 100", f"{base}/attendees?page_size=100&page={last}"),
        ("profiles, first page of 100", f"{base}/profiles?page_size=100"),
        ("published meetings, first page of 100", f"{base}/meetings?page_size=100"),
        ("answers counted", f"{base}/answers"),
    ]:
        times, etag = [], None
        for _ in range(args.tries):
            took, answer = timed("GET", path)
            assert answer.status_code == 200, (path, answer.status_code)
            times.append(took)
            etag = answer.headers["ETag"]
        again = [timed("GET", path, headers={"If-None-Match": etag})[0] for _ in range(args.tries)]
        rows.append((label, statistics.median(times), statistics.median(again)))
    invites = []
    for k in range(args.tries):
        person = {"email": f"bench{k}@example.org", "name": f"Bench {k}"}
        took, answer = timed("POST", f"{base}/attendees", json=person)
        assert answer.status_code == 201, answer.get_json()
        invites.append(took)
    deliveries = db.session.query(WebhookDelivery).count()

    print(f"\n{args.attendees} attendees, {db.engine.url.get_backend_name()}, "
          f"median of {args.tries} calls each (ms):")  # fmt: skip
    print(f"{'call':42} {'200':>8} {'304':>8}")
    for label, full, revalidated in rows:
        print(f"{label:42} {full:8.1f} {revalidated:8.1f}")
    print(f"{'invite one attendee (POST, 201)':42} {statistics.median(invites):8.1f}")
    print(f"webhook deliveries written for the invitations: {deliveries} of {args.tries}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

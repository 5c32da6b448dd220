"""Load test: the pages people open most, against a reference page, on gunicorn and PostgreSQL.

    scripts/loadtest                       # 5,000 attendees, 10 s per page, 16 connections
    scripts/loadtest --attendees 5000 --seconds 10 --slices 5 --connections 16

Seeds the demo event with N attendees in a fresh PostgreSQL database, matches and publishes it,
starts gunicorn (two workers, `-k gthread --threads 4`, as in production) on 127.0.0.1 and
drives each page in turn with wrk (Debian's package): an attendee's schedule, their
introductions, their calendar feed, the organiser's overview and the plan review, each in
slices that alternate with the reference page (`bench/reference.py`: the same
schedule from one SQL query and a template). Prints requests per second, p50 / p95 / p99
latency and errors per page (its slices pooled), and its ratio to the reference pooled over
the slices around it.
Targets (issue 12): every page >= 45% of the reference's requests per second, p99 <= 4x its
p99, no errors. Only loopback traffic; the load is bounded by --connections and --seconds.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.published import published_demo
from bench.web_run import Browser, _free_port

ROOT = Path(__file__).resolve().parents[1]
# wrk's summary of a run: its counts and its latency at every 0.1% (1,000 quantiles, in ms), so
# that several runs of one page pool into one distribution (`pooled`).
DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  local q = {}
  for k = 1, 1000 do q[k] = string.format('%.3f', latency:percentile(k / 10) / 1000) end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "quantiles": [%s]}\\n',
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout, table.concat(q, ', ')))
end
"""


def pooled(runs: list[dict]) -> dict:
    """Several wrk runs of one page as one: requests per second over their whole time, errors,
    and p50 / p95 / p99 of all their requests (each run's quantiles weighted by its requests)."""
    requests = sum(r["requests"] for r in runs)
    points = sorted(
        (value, r["requests"] / len(r["quantiles"])) for r in runs for value in r["quantiles"]
    )
    figures = {
        "requests": requests,
        "rps": requests / sum(r["seconds"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
    }
    for name, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        below, figures[name] = 0.0, points[-1][0] if points else 0.0
        for value, weight in points:
            below += weight
            if below >= share * requests - 1e-9:
                figures[name] = value
                break
    return figures


def _wrk(url: str, cookie: str | None, seconds: int, connections: int, script: str) -> dict:
    # The browser's name on every request, as a browser sends it (see `Browser.USER_AGENT`).
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, url,
               "-H", f"User-Agent: {Browser.USER_AGENT}"]  # fmt: skip
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _wait_until_idle(probe: Browser, seconds: float = 120) -> None:
    """Until the health check answers in under 20 ms three times running."""
    quick, deadline = 0, time.monotonic() + seconds
    while quick < 3 and time.monotonic() < deadline:
        quick = quick + 1 if probe.get("/healthz")[1] < 0.02 else 0
        time.sleep(0.1)


def _login(base: str, email: str, password: str) -> str:
    """The Cookie header of a session logged in through the real form, as a browser holds it
    after its first page: logging in drops the session's CSRF secret, and the first page with
    a form (every page: the Log out button) makes a new one and sets the cookie again. With the
    cookie of the login response alone, every request would make a secret and set a cookie."""
    browser = Browser(base)
    browser.post("/login", "/login", {"email": email, "password": password})
    browser.get("/")
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def _seed(attendees: int, database: str) -> tuple[str, dict]:
    """The demo event of `attendees` people matched and published in a fresh database beside
    `database` (`published_demo`, which also analyzes it); its URL and the ids the pages
    need: the event, its run, the demo attendee's profile and calendar token."""
    import sqlalchemy as sa

    from matchmaker.extensions import db
    from matchmaker.models import Event, Profile, User
    from matchmaker.services import demo
    from matchmaker.services.schedules import published

    event = db.session.get(Event, published_demo(attendees, database, name="mm_loadtest"))
    profile = db.session.scalar(
        sa.select(Profile)
        .join(User)
        .where(Profile.event_id == event.id, User.email == demo.ATTENDEE[0])
    )
    ids = {
        "event": event.id,
        "run": event.published_run_id,
        "profile": profile.id,
        "token": published.calendar_token(db.session, slug=event.slug, user_id=profile.user_id),
        "meetings": event.published_run.metrics["one_to_one_meetings"],
    }
    db.session.commit()  # the calendar address made above
    url = db.engine.url.render_as_string(hide_password=False)
    db.session.remove()
    db.engine.dispose()
    return url, ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--seconds", type=int, default=10, help="per page (default 10)")
    parser.add_argument(
        "--slices", type=int, default=5, help="per page, alternating with the reference"
    )
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"seeding, matching and publishing {args.attendees} attendees ...", flush=True)
    os.environ.setdefault("SECRET_KEY", "loadtest")
    url, ids = _seed(args.attendees, args.database)
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY="loadtest",
        MATCHMAKER_BASE_URL=base,
        MATCHMAKER_SEMANTIC="off",
    )
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [Path(sys.executable).with_name("gunicorn"), "-w", "2", "-k", "gthread", "--threads",
         "4", "-b", f"127.0.0.1:{port}", "bench.loadtest_app:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    script = Path(tempfile.mkdtemp(prefix="mm-loadtest-")) / "done.lua"
    script.write_text(DONE, encoding="utf-8")
    try:
        probe = Browser(base)
        for _ in range(150):
            try:
                probe.get("/healthz")
                break
            except OSError:
                time.sleep(0.2)
        attendee = _login(base, "attendee@demo.test", "attend-demo")
        organiser = _login(base, "organiser@demo.test", "organise-demo")
        event, run = ids["event"], ids["run"]
        reference = ("reference", f"/_reference/schedule/{ids['profile']}", None)
        pages = [
            ("attendee schedule", "/events/demo/schedule", attendee),
            ("introductions", "/events/demo/introductions", attendee),
            ("calendar feed", f"/calendar/{ids['token']}.ics", None),
            ("organiser overview", f"/organiser/events/{event}", organiser),
            ("plan review", f"/organiser/events/{event}/runs/{run}", organiser),
        ]

        def measure(path: str, cookie: str | None, seconds: int) -> dict:
            figures = _wrk(base + path, cookie, seconds, args.connections, str(script))
            _wait_until_idle(probe)  # requests wrk gave up on may still be running
            return figures

        # Warm up: every thread of both workers has its connection and prepared statements,
        # and each worker has computed the dashboards' figures once (the first view after a
        # change computes them: `bench.dashboards` measures that).
        for _, path, cookie in [reference, *pages]:
            measure(path, cookie, seconds=2)
        # The machine is shared and its speed drifts by half within a minute: each page runs
        # in slices that alternate with slices of the reference (reference first and last),
        # and is compared with the reference pooled over its own slices.
        piece = max(1, args.seconds // args.slices)
        results = []
        for name, path, cookie in pages:
            page_runs, ref_runs = [], [measure(reference[1], None, piece)]
            for _ in range(args.slices):
                page_runs.append(measure(path, cookie, piece))
                ref_runs.append(measure(reference[1], None, piece))
            results.append((name, pooled(page_runs), pooled(ref_runs)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"{args.attendees} attendees, {ids['meetings']} one-to-one meetings published; gunicorn "
        f"-w 2 -k gthread --threads 4; wrk -t2 -c{args.connections}; per page {args.slices} "
        f"slices of {piece} s, each between two {piece} s slices of the reference"
    )
    rps = sorted(ref["rps"] for *_, ref in results)
    print(
        f"reference (one SQL query + template), pooled around each page: req/s from "
        f"{rps[0]:.0f} to {rps[-1]:.0f}, median {statistics.median(rps):.0f}"
    )
    print(
        f"{'page':<22} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'ref req/s':>9} {'ref p99':>7} {'req/s vs ref':>12} {'p99 vs ref':>10}"
    )
    failed = False
    for name, f, ref in results:
        rps_share, p99_times = f["rps"] / ref["rps"], f["p99"] / ref["p99"]
        failed |= rps_share < 0.45 or p99_times > 4 or f["errors"] > 0
        print(
            f"{name:<22} {f['rps']:>7.0f} {f['p50']:>7.1f} {f['p95']:>7.1f} {f['p99']:>7.1f} "
            f"{f['errors']:>6} {ref['rps']:>9.0f} {ref['p99']:>7.1f} {rps_share:>11.0%} "
            f"{p99_times:>9.1f}x"
        )
    print("targets (>= 45% of the reference's req/s, p99 <= 4x, 0 errors):",
          "missed" if failed else "met")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A matching run through the web path, measured: an event of N attendees in a fresh
database, gunicorn with two workers, the organiser starts a run in the browser's way (form
and CSRF token) and the script prints the time until the run is done and the response times
of other pages fetched while it runs.

    .venv/bin/python -m bench.web_run --attendees 2000
    .venv/bin/python -m bench.web_run --attendees 2000 \
        --database postgresql://postgres@127.0.0.1:5432/test --redis redis://127.0.0.1:6379/14 \
        --workers 2

Only loopback traffic; the load is bounded (one request at a time, until the run ends).
"""

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.published import fresh_postgres


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_database(url: str | None, folder: Path) -> str:
    if not url:
        return f"sqlite:///{folder / 'bench.sqlite'}"
    return fresh_postgres(url, "mm_bench_web")


def _seed(env: dict, attendees: int, tables: int) -> None:
    code = (
        "from matchmaker import create_app\n"
        "from flask_migrate import upgrade\n"
        "from matchmaker.extensions import db\n"
        "from matchmaker.services import demo\n"
        "from matchmaker.services.setup import timetable\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    upgrade()\n"
        f"    r = demo.seed_demo(db.session, attendees={attendees})\n"
        f"    timetable.add_locations(db.session, event=r.event,"
        f" name='Hall table', capacity=2, count={tables})\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)


class Browser:
    USER_AGENT = "matchmaker-bench"

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        # One name on every request, as a browser sends: the login's session protection
        # (Flask-Login) marks a session whose browser changes as not fresh, a write each time.
        self.opener.addheaders = [("User-Agent", self.USER_AGENT)]

    def get(self, path: str) -> tuple[str, float]:
        started = time.perf_counter()
        with self.opener.open(self.base + path, timeout=60) as response:
            body = response.read().decode()
        return body, time.perf_counter() - started

    def post(self, path: str, form_path: str, data: dict) -> str:
        page, _ = self.get(form_path)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
        with self.opener.open(self.base + path, data=body, timeout=60) as response:
            return response.geturl()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=2000)
    parser.add_argument("--tables", type=int, default=260, help="tables added to the demo's 40")
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument(
        "--redis", help="e.g. redis://127.0.0.1:6379/14: runs go to an RQ worker process"
    )
    parser.add_argument("--semantic", choices=("on", "off"), default="off")
    parser.add_argument("--workers", type=int, default=1, help="rq worker processes (--redis)")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="mm-bench-web-"))
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=_fresh_database(args.database, folder),
        SECRET_KEY="bench",
        MATCHMAKER_BASE_URL=f"http://127.0.0.1:{port}",
        # Seeded profiles have no stored vectors (the app computes them when people save):
        # on, the run would embed them all first.
        MATCHMAKER_SEMANTIC=args.semantic,
    )
    env.pop("REDIS_URL", None)
    if args.redis:
        env.update(REDIS_URL=args.redis, MATCHMAKER_QUEUE=f"bench-{port}")
    print(f"seeding {args.attendees} attendees ...", flush=True)
    _seed(env, args.attendees, args.tables)
    server = subprocess.Popen(
        [Path(sys.executable).with_name("gunicorn"), "-w", "2", "-k", "gthread", "--threads",
         "4", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        env=env, cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [Path(sys.executable).with_name("rq"), "worker", "--url", args.redis, f"bench-{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(args.workers if args.redis else 0)
    ]
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                browser.get("/login")
                break
            except OSError:
                time.sleep(0.2)
        browser.post(
            "/login", "/login", {"email": "organiser@demo.test", "password": "organise-demo"}
        )
        pages = ["/organiser/events/1", "/organiser/events/1/attendees", "/organiser/events"]
        for page in pages:
            browser.get(page)  # warm up
        idle = [browser.get(pages[0])[1] for _ in range(20)]
        started = time.perf_counter()
        run_url = browser.post("/organiser/events/1/runs", "/organiser/events/1/runs", {})
        run_path = urllib.parse.urlsplit(run_url).path
        timings: dict[str, list[float]] = {page: [] for page in pages}
        status = ""
        while True:
            for page in pages:
                timings[page].append(browser.get(page)[1])
            body, _ = browser.get(run_path + "/status")
            status = re.search(r'"status":\s*"(\w+)"', body).group(1)
            if status in ("done", "failed") or time.perf_counter() - started > 1800:
                break
        elapsed = time.perf_counter() - started
        review, review_seconds = browser.get(run_path)
        published_after = None
        if status == "done":
            browser.post(run_path + "/publish", run_path, {})
            published_after = time.perf_counter() - started
    finally:
        for process in (server, *workers):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]

    where = f"{args.workers} RQ worker(s)" if args.redis else "a thread of the web worker"
    print(f"run {status} in {elapsed:.1f} s ({args.attendees} attendees, web path, {where})")
    if published_after is not None:
        print(f"published (schedules mailed to the log) {published_after:.1f} s after the start")
    print(f"overview while idle: median {1000 * statistics.median(idle):.0f} ms")
    for page, values in timings.items():
        print(
            f"{page} during the run: n={len(values)} median "
            f"{1000 * statistics.median(values):.0f} ms, p95 {1000 * p95(values):.0f} ms"
        )
    ratio = re.search(r"([\d.]+)%</p><p>of the best possible", review)
    share = ratio.group(1) if ratio else "?"
    print(f"review page: {1000 * review_seconds:.0f} ms; {share}% of the bound")
    return 0 if status == "done" else 1


if __name__ == "__main__":
    sys.exit(main())

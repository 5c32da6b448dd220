"""How long publishing takes to answer when it tells every attendee, and how long the mail
then takes to leave: a demo event of N attendees is matched in a fresh database; publishing
makes the run the schedule (the request's work, timed to its commit); the announcement job
writes one message per attendee into the outbox; then W worker processes (`flask sweep`,
which starts the mail job and waits for it) send them through a local SMTP sink that accepts
everything, one connection per batch.

    .venv/bin/python -m bench.publish_mail --attendees 20000 \\
        --database postgresql://postgres@127.0.0.1:5432/test
"""

import argparse
import os
import socketserver
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.published import published_demo


class _Sink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept every message (and count them)."""

    received = 0
    lock = threading.Lock()

    def handle(self) -> None:
        self.wfile.write(b"220 sink ready\r\n")
        in_data = False
        while line := self.rfile.readline():
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    with _Sink.lock:
                        _Sink.received += 1
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif verb == b"EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--tables", type=int, default=None, help="tables of two (default: attendees / 4)"
    )
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    args = parser.parse_args(argv)
    os.environ.setdefault("MATCHMAKER_SEMANTIC", "off")

    from matchmaker.extensions import db
    from matchmaker.models import Event, MatchRun, OutgoingMail
    from matchmaker.services.core.outbox import Outbox
    from matchmaker.services.planning import publishing

    started = time.perf_counter()
    event_id = published_demo(
        args.attendees,
        args.database,
        name="mm_bench_publish_mail",
        publish=False,
        tables=args.tables or max(1, args.attendees // 4),
    )
    print(f"{args.attendees} attendees matched in {time.perf_counter() - started:.0f} s")
    event = db.session.get(Event, event_id)
    run_id = db.session.scalar(sa.select(sa.func.max(MatchRun.id)))
    db.session.commit()

    started = time.perf_counter()
    publishing.publish_run(
        db.session, event=event, run_id=run_id, now=datetime.now(UTC),
        mailer=None, schedule_link="https://meet.example.org/events/demo",
    )  # fmt: skip
    db.session.commit()  # the request's one commit (its announcement job starts after it)
    answered = time.perf_counter() - started
    print(f"publish: the request's work took {answered:.2f} s")
    begun = time.perf_counter()
    run = db.session.get(MatchRun, run_id)
    told = publishing.announce(
        db.session, run=run, mailer=Outbox(db.session(), on_commit=lambda: None),
        schedule_link="https://meet.example.org/events/demo", now=datetime.now(UTC),
    )  # fmt: skip
    db.session.commit()
    announced = time.perf_counter() - begun
    waiting = db.session.scalar(sa.select(sa.func.count(OutgoingMail.id)))
    print(f"announcement job: {told} attendees' messages written in {announced:.1f} s "
          f"({waiting} in the outbox)")  # fmt: skip

    sink = _Server(("127.0.0.1", 0), _Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    env = dict(
        os.environ,
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        MATCHMAKER_ENV="development",
        SECRET_KEY="bench",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(sink.server_address[1]),
        MAIL_USE_TLS="0",
        MATCHMAKER_BASE_URL="https://meet.example.org",
    )
    flask = Path(sys.executable).with_name("flask")
    started = time.perf_counter()
    workers = [
        subprocess.Popen([str(flask), "--app", "wsgi", "sweep"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(args.workers)
    ]  # fmt: skip
    for worker in workers:
        _, errors = worker.communicate(timeout=600)
        if worker.returncode:
            print(errors.decode()[-2000:])
            return 1
    took = time.perf_counter() - started
    db.session.expire_all()
    states = dict(
        db.session.execute(
            sa.select(OutgoingMail.status, sa.func.count()).group_by(OutgoingMail.status)
        ).all()
    )
    print(f"mail: {_Sink.received} received by the sink in {took:.1f} s with "
          f"{args.workers} workers (outbox: {states}; "
          f"{_Sink.received / max(took, 1e-9):.0f} messages/s); all mail left "
          f"{announced + took:.1f} s after the publish answered")  # fmt: skip
    return 0 if _Sink.received == waiting and states == {"sent": waiting} else 1


if __name__ == "__main__":
    sys.exit(main())

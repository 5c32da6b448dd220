"""The heartbeat of the jobs this process holds (waiting their turn in its executor, or
executing): one thread touches their rows every few seconds, on a session of its own, so that
a job whose process was killed is known to be lost within a minute."""

import logging
import os
import threading
from datetime import UTC, datetime

from flask import Flask

from matchmaker.extensions import db
from matchmaker.services.core.jobs import BEAT_SECONDS, beat

log = logging.getLogger(__name__)


class Heartbeat:
    """The rows held by this process, and the thread that beats for them."""

    def __init__(self) -> None:
        self._held: dict[tuple[type, int], Flask] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def hold(self, app: Flask, model: type, row_id: int) -> None:
        """Beat for this row from now on (at once, then every BEAT_SECONDS)."""
        with self._lock:
            self._held[(model, row_id)] = app
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, daemon=True, name="heartbeat")
                try:
                    self._thread.start()
                except RuntimeError as error:  # no thread now: the next hold tries again
                    self._thread = None
                    log.warning("heartbeat not started: %s", error)
        self._beat({(model, row_id): app})

    def release(self, model: type, row_id: int) -> None:
        """Stop beating for this row (its job has ended)."""
        with self._lock:
            self._held.pop((model, row_id), None)

    def held(self) -> int:
        with self._lock:
            return len(self._held)

    def _loop(self) -> None:
        stop = threading.Event()
        while not stop.wait(BEAT_SECONDS):
            with self._lock:
                held = dict(self._held)
            self._beat(held)

    @staticmethod
    def _beat(held: dict[tuple[type, int], Flask]) -> None:
        by_app: dict[Flask, dict[type, list[int]]] = {}
        for (model, row_id), app in held.items():
            by_app.setdefault(app, {}).setdefault(model, []).append(row_id)
        for app, rows in by_app.items():
            try:
                with app.app_context():
                    try:
                        for model, ids in rows.items():
                            beat(db.session, model, ids, datetime.now(UTC))
                        db.session.commit()
                    finally:
                        db.session.remove()
            except Exception as error:  # noqa: BLE001 - a missed beat is retried; never crash
                log.warning("heartbeat missed: %s", error)


_heartbeats: dict[int, Heartbeat] = {}


def heartbeat() -> Heartbeat:
    """This process's heartbeat (a forked worker gets its own)."""
    return _heartbeats.setdefault(os.getpid(), Heartbeat())

"""A bounded pool of worker threads in this process, for when no queue server is configured:
jobs wait their turn by priority (runs before exports before mail before embeddings), a job
that is already waiting is not queued twice, and at most `workers` run at once, so a burst of
work takes its time instead of every database connection and all the memory."""

import heapq
import itertools
import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """Nothing can take the job (the queue server does not answer, or no thread can be
    started): nothing was queued."""


class Executor:
    """Worker threads taking jobs from one priority queue."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._cond = threading.Condition()
        self._heap: list[tuple[int, int, str, Callable[[], None]]] = []
        self._waiting: set[str] = set()
        self._busy = 0
        self._threads: list[threading.Thread] = []
        self._order = itertools.count()

    def submit(self, priority: int, key: str, call: Callable[[], None]) -> bool:
        """Queue `call` (lower priority first); False if a job of this key is already
        waiting (not yet started)."""
        with self._cond:
            if key in self._waiting:
                return False
            self._waiting.add(key)
            heapq.heappush(self._heap, (priority, next(self._order), key, call))
            self._threads = [t for t in self._threads if t.is_alive()]
            if len(self._threads) < self.workers and self._busy + len(self._heap) > len(
                self._threads
            ):
                self._start_thread(key)
            self._cond.notify()
        return True

    def _start_thread(self, key: str) -> None:
        thread = threading.Thread(target=self._serve, daemon=True, name="matchmaker-job")
        try:
            thread.start()
        except RuntimeError as error:  # the process may start no more threads
            if self._threads:
                return  # those it has will take the job in turn
            self._heap = [item for item in self._heap if item[2] != key]
            heapq.heapify(self._heap)
            self._waiting.discard(key)
            raise QueueUnavailable(f"no worker thread could be started: {error}") from error
        self._threads.append(thread)

    def _serve(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                _, _, key, call = heapq.heappop(self._heap)
                self._waiting.discard(key)
                self._busy += 1
            try:
                call()
            except Exception:  # noqa: BLE001 - a job records its own failure; never lose a thread
                log.exception("background job %s failed", key)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def wait_until_idle(self, seconds: float) -> bool:
        """Wait until no job waits or runs (tests, and a clean shutdown); False on time-out."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._heap and not self._busy, seconds)

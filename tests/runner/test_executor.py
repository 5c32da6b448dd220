"""The in-process executor: at most `workers` jobs at once, the rest wait their turn by
priority, and a job that is already waiting is not queued twice."""

import threading
import time

from matchmaker.runner.executor import Executor


def test_at_most_workers_run_at_once_and_every_job_ends():
    executor = Executor(workers=2)
    lock = threading.Lock()
    running, most, done = [0], [0], []

    def job(k):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
            done.append(k)

    for k in range(12):
        executor.submit(1, f"job-{k}", lambda k=k: job(k))

    assert executor.wait_until_idle(10)
    assert most[0] == 2
    assert sorted(done) == list(range(12))


def test_waiting_jobs_start_by_priority_and_a_waiting_key_is_not_queued_twice():
    executor = Executor(workers=1)
    gate, order = threading.Event(), []
    executor.submit(0, "blocker", gate.wait)
    time.sleep(0.05)  # the one thread is now busy with the blocker

    queued = [
        executor.submit(3, "embedding-1", lambda: order.append("embedding-1")),
        executor.submit(3, "embedding-1", lambda: order.append("embedding-1 again")),
        executor.submit(2, "mail", lambda: order.append("mail")),
        executor.submit(0, "run-7", lambda: order.append("run-7")),
        executor.submit(1, "export-3", lambda: order.append("export-3")),
    ]
    gate.set()

    assert executor.wait_until_idle(10)
    assert queued == [True, False, True, True, True]
    assert order == ["run-7", "export-3", "mail", "embedding-1"]


def test_a_failing_job_does_not_take_its_thread_with_it():
    executor = Executor(workers=1)
    done = []

    def explode():
        raise RuntimeError("boom")

    executor.submit(0, "bad", explode)
    executor.submit(0, "good", lambda: done.append("good"))

    assert executor.wait_until_idle(10)
    assert done == ["good"]

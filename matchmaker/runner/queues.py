"""Where a job waits: an RQ queue of its kind when REDIS_URL is set (served by `rq worker`
processes, on any machine that reaches the database and Redis), else this process's bounded
executor. Four kinds, served in this order: runs, exports, mail, embeddings."""

import os
from dataclasses import dataclass
from functools import partial

from flask import Flask

from matchmaker.runner.executor import Executor, QueueUnavailable


@dataclass(frozen=True)
class Kind:
    name: str
    priority: int


RUNS, EXPORTS, MAIL, EMBEDDINGS = (
    Kind("runs", 0),
    Kind("exports", 1),
    Kind("mail", 2),
    Kind("embeddings", 3),
)
KINDS = (RUNS, EXPORTS, MAIL, EMBEDDINGS)
# The states in which an RQ job has not started yet (a second one of its key is not queued).
RQ_WAITING = ("queued", "scheduled", "deferred")
RQ_FAILED = ("failed", "stopped", "canceled")

_executors: dict[int, Executor] = {}


def executor(app: Flask) -> Executor:
    """This process's executor (a forked worker gets its own)."""
    return _executors.setdefault(os.getpid(), Executor(app.config["MATCHMAKER_WORKER_THREADS"]))


def this_process_executor() -> Executor | None:
    """This process's executor, if it has started one."""
    return _executors.get(os.getpid())


def queue_name(app: Flask, kind: Kind) -> str:
    return f"{app.config['MATCHMAKER_QUEUE']}-{kind.name}"


def job_id(app: Flask, key: str) -> str:
    """An RQ job's id: its key under this deployment's prefix (ids are global in Redis)."""
    return f"{app.config['MATCHMAKER_QUEUE']}-{key}"


def uses_queue_server(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL"))


def _redis(app: Flask):
    from redis import Redis

    return Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)


def submit(app: Flask, kind: Kind, key: str, job, *args) -> bool:
    """Queue `job(*args)` under `key`; False if a job of that key is still waiting.
    QueueUnavailable when the queue server does not answer."""
    if app.config["MATCHMAKER_JOBS_INLINE"]:
        job(*args, app=app)
        return True
    if not uses_queue_server(app):
        return executor(app).submit(kind.priority, key, partial(job, *args, app=app))
    from redis.exceptions import RedisError
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    connection = _redis(app)
    try:
        try:
            if Job.fetch(job_id(app, key), connection=connection).get_status() in RQ_WAITING:
                return False
        except NoSuchJobError:
            pass
        seconds = app.config["MATCHMAKER_RUN_TIMEOUT_MINUTES"] * 60
        Queue(queue_name(app, kind), connection=connection).enqueue(
            job, *args, job_id=job_id(app, key), job_timeout=seconds, result_ttl=3600,
            failure_ttl=7 * 86400,
        )  # fmt: skip
    except RedisError as error:
        raise QueueUnavailable(str(error)) from error
    finally:
        connection.close()
    return True


def reported_failures(app: Flask, keys: dict[int, str]) -> dict[int, str]:
    """Of these jobs (row id: job key), those the queue server says failed, stopped or were
    abandoned (a killed work-horse), with its reason; nothing without a queue server or when
    it does not answer."""
    if not keys or not uses_queue_server(app):
        return {}
    from redis.exceptions import RedisError
    from rq.job import Job

    connection = _redis(app)
    found: dict[int, str] = {}
    try:
        for row_id, key in keys.items():
            job = Job.fetch_many([job_id(app, key)], connection=connection)[0]
            if job is not None and job.get_status() in RQ_FAILED:
                found[row_id] = _last_line(job)
    except RedisError:
        return {}
    finally:
        connection.close()
    return found


def _last_line(job) -> str:
    result = job.latest_result()
    text = (result.exc_string if result is not None else "") or "the worker stopped"
    return text.strip().splitlines()[-1][:300]


def health(app: Flask) -> str:
    """'ok', or why the queue server does not answer."""
    if not uses_queue_server(app):
        return "ok"
    from redis.exceptions import RedisError

    connection = _redis(app)
    try:
        connection.ping()
    except RedisError as error:
        return type(error).__name__
    finally:
        connection.close()
    return "ok"

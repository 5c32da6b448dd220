"""Configuration: defaults, then the environment, then a test config."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


def _secret_key(instance_path: str) -> str:
    """Use SECRET_KEY, else a key kept in the instance folder so workers and restarts agree."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(url: str | None, instance_path: str) -> str:
    if not url:
        return f"sqlite:///{Path(instance_path) / 'matchmaker.sqlite'}"
    # Both spellings of PostgreSQL go through psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"]


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to set it."""


def trusted_hosts(config: dict) -> list[str]:
    """The host names requests may carry: the base URL's, else (in development and tests)
    the loopback names; plus MATCHMAKER_EXTRA_HOSTS. Requests for any other host get 400."""
    extra = list(config.get("MATCHMAKER_EXTRA_HOSTS") or [])
    if base := config.get("MATCHMAKER_BASE_URL"):
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise ConfigError(
                f"MATCHMAKER_BASE_URL: {base!r} is not an address like https://meet.example.org"
                " (http or https, a host, an optional port, no path)."
            )
        return [parts.hostname, *extra]
    if config.get("TESTING") or config.get("DEBUG") or config["MATCHMAKER_ENV"] == "development":
        server = (config.get("SERVER_NAME") or "").partition(":")[0]
        return [*LOOPBACK_HOSTS, *([server] if server else []), *extra]
    raise ConfigError(
        "MATCHMAKER_BASE_URL is not set. Set it to the address people use, e.g. "
        "MATCHMAKER_BASE_URL=https://meet.example.org (or MATCHMAKER_ENV=development on your "
        "own machine)."
    )


def engine_options(url: str, wait_seconds: float) -> dict:
    """Bound every wait on the database: a server that does not answer, or a locked SQLite
    file, fails within `wait_seconds` (the app then answers 503), never after minutes."""
    if url.startswith("sqlite"):  # a local file: only its lock can make anyone wait
        return {"pool_pre_ping": True, "connect_args": {"timeout": wait_seconds}}
    return {
        "pool_pre_ping": True,
        "pool_timeout": wait_seconds,
        "connect_args": {
            "connect_timeout": max(1, round(wait_seconds)),
            # psycopg prepares a statement run five times on a connection; PostgreSQL may
            # then keep planning it for each set of values ("custom" plans), which costs more
            # than the short queries of the pages themselves (measured in docs/performance.md).
            # A generic plan is made once, and again whenever ANALYZE updates the statistics.
            "options": "-c plan_cache_mode=force_generic_plan",
        },
    }


def load_config(instance_path: str) -> dict:
    """Build the app's settings from defaults and the environment."""
    env = os.environ
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(env.get("DATABASE_URL"), instance_path),
        "MATCHMAKER_DB_WAIT_SECONDS": float(env.get("MATCHMAKER_DB_WAIT_SECONDS", "5")),
        "REDIS_URL": env.get("REDIS_URL"),
        # With REDIS_URL, the prefix of the RQ queues (PREFIX-runs, -exports, -mail and
        # -embeddings: serve them in that order, `rq worker PREFIX-runs PREFIX-exports ...`),
        # and how long a job may wait in them, or run, before it counts as lost and is failed.
        "MATCHMAKER_QUEUE": env.get("MATCHMAKER_QUEUE", "matchmaker"),
        "MATCHMAKER_RUN_TIMEOUT_MINUTES": int(env.get("MATCHMAKER_RUN_TIMEOUT_MINUTES", "30")),
        # Without REDIS_URL, how many threads of each web process do background work (more
        # wait their turn), and how often each process looks for work left behind (mail to
        # retry, embeddings to catch up, jobs whose worker stopped); 0 turns that off.
        "MATCHMAKER_WORKER_THREADS": int(env.get("MATCHMAKER_WORKER_THREADS", "2")),
        "MATCHMAKER_SWEEP_SECONDS": float(env.get("MATCHMAKER_SWEEP_SECONDS", "30")),
        # Invitations an organiser may send in 24 hours (CSV imports): fewer while their
        # account is new; an administrator raises one organiser's with `flask
        # allow-invitations EMAIL N`.
        "MATCHMAKER_INVITATIONS_PER_DAY": int(env.get("MATCHMAKER_INVITATIONS_PER_DAY", "2000")),
        "MATCHMAKER_INVITATIONS_PER_DAY_NEW": int(
            env.get("MATCHMAKER_INVITATIONS_PER_DAY_NEW", "200")
        ),
        "MATCHMAKER_NEW_ORGANISER_DAYS": int(env.get("MATCHMAKER_NEW_ORGANISER_DAYS", "7")),
        # Webhooks may be sent to this machine and private networks only when this is "1" (a
        # receiver on the same network); otherwise such addresses are refused when saved and
        # again before each delivery.
        "MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE": env.get("MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE") == "1",
        # Tests only: a job runs in the request that started it, right after its commit.
        "MATCHMAKER_JOBS_INLINE": False,
        # The semantic channel (sentence embeddings, see matchmaker/engine/embedder.py): on,
        # each saved profile's vector is computed outside the request and runs blend it in;
        # off (or without the model installed), matching reads words alone.
        "MATCHMAKER_SEMANTIC": env.get("MATCHMAKER_SEMANTIC", "on") == "on",
        # Where people reach the app, e.g. https://meet.example.org: links in mail are built
        # from it, never from a request's Host header. Required outside development and tests.
        "MATCHMAKER_BASE_URL": env.get("MATCHMAKER_BASE_URL", "").rstrip("/") or None,
        # Further host names the app answers to besides the base URL's (comma-separated).
        "MATCHMAKER_EXTRA_HOSTS": [
            h.strip() for h in env.get("MATCHMAKER_EXTRA_HOSTS", "").split(",") if h.strip()
        ],
        # development: on your own machine, without a base URL (loopback hosts only).
        "MATCHMAKER_ENV": env.get("MATCHMAKER_ENV", "production"),
        # Without MAIL_SERVER, mail goes to the log (see matchmaker/mailer.py).
        "MAIL_SERVER": env.get("MAIL_SERVER"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_USE_SSL": env.get("MAIL_USE_SSL") == "1",
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "matchmaker <no-reply@localhost>"),
        # Reverse proxies in front of the app (nginx, a load balancer): trust that many
        # X-Forwarded-For/-Proto/-Host hops, so that limits see each person's own address.
        "MATCHMAKER_PROXY_HOPS": int(env.get("MATCHMAKER_PROXY_HOPS", "0")),
        "MATCHMAKER_RESET_LINK_SECONDS": int(env.get("MATCHMAKER_RESET_LINK_SECONDS", "3600")),
        "MATCHMAKER_DEFAULT_MAX_MEETINGS": int(env.get("MATCHMAKER_DEFAULT_MAX_MEETINGS", "6")),
        # Request bodies: forms are small; the largest upload (an attendee CSV) is capped at
        # 2 MB by the import itself, so 4 MB leaves room for the form around it.
        "MAX_CONTENT_LENGTH": int(env.get("MATCHMAKER_MAX_REQUEST_BYTES", str(4 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        # Behind HTTPS in production: cookies only over TLS.
        "SESSION_COOKIE_SECURE": env.get("MATCHMAKER_SECURE_COOKIES") == "1",
        "REMEMBER_COOKIE_SECURE": env.get("MATCHMAKER_SECURE_COOKIES") == "1",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "WTF_CSRF_TIME_LIMIT": None,
        # Counts of failed logins and sign-ups. memory:// counts per process; several
        # gunicorn workers or machines share counts through e.g. redis://host:6379.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
    }

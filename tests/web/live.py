"""Real requests against gunicorn (two workers, four threads each) on the test's database:
a browser-like client, a barrier that releases calls together, and the `server` fixture
(in tests/web/conftest.py)."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests import factories


class Client:
    """A browser: its own cookies, CSRF tokens read from forms, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        _, page = self.request(path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def login(self, email: str) -> None:
        token = self.token("/login")
        status, _ = self.request(
            "/login", {"email": email, "password": factories.PASSWORD, "csrf_token": token}
        )
        assert status == 302


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(database_url, log: Path | None = None, env: dict | None = None, workers: int = 2):
    """gunicorn on the database until the generator resumes; its stderr (mails included: they
    go to the log in tests) is written to `log` when given. Fails on a traceback in it. `env`
    adds to or overrides the server's environment (a key set to None is removed)."""
    port = _free_port()
    extra = env or {}
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="test-secret-key",
        MATCHMAKER_ENV="development",
        MATCHMAKER_BASE_URL=f"http://127.0.0.1:{port}",
        RATELIMIT_STORAGE_URI="memory://",
    )
    env.pop("REDIS_URL", None)
    env.update({k: v for k, v in extra.items() if v is not None})
    for key in [k for k, v in extra.items() if v is None]:
        env.pop(key, None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-w", str(workers), "-k", "gthread", "--threads", "4", "-b", f"127.0.0.1:{port}",
         "wsgi:app"],
        env=env, cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log is not None else subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    serve.process = process  # for tests that kill its workers
    yield base
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=30)
    text = log.read_text(encoding="utf-8", errors="replace") if log else errors.decode()
    assert "Traceback" not in text, text


def _at_once(calls) -> list[tuple[int, str]]:
    """Run the calls in threads released together; their (status, page) in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(k, call):
        barrier.wait()
        results[k] = call()

    threads = [threading.Thread(target=run, args=(k, c)) for k, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results

"""Real concurrent requests against gunicorn (two workers, four threads each) on PostgreSQL:
each race ends in one defined outcome, never a 500, never a half-written row."""

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

import pytest
import sqlalchemy as sa

from matchmaker.models import Event, Profile, Tag, User
from tests import factories

pytestmark = pytest.mark.skipif(
    not os.environ.get("MATCHMAKER_TEST_DATABASE_URL"),
    reason="races are run against PostgreSQL (CI's second pass)",
)
RACERS = 4


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


@pytest.fixture
def server(database_url):
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="test-secret-key",
        MATCHMAKER_ENV="development",
        RATELIMIT_STORAGE_URI="memory://",
    )
    env.pop("REDIS_URL", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-w", "2", "-k", "gthread", "--threads", "4", "-b", f"127.0.0.1:{port}",
         "wsgi:app"],
        env=env, cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=30)
    assert "Traceback" not in errors.decode(), errors.decode()


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


def test_one_email_signed_up_four_times_at_once_makes_one_account(server, session):
    clients = [Client(server) for _ in range(RACERS)]
    tokens = [c.token("/signup") for c in clients]
    form = {"name": "Olga", "email": "olga@example.org", "password": factories.PASSWORD,
            "confirm": factories.PASSWORD}  # fmt: skip

    results = _at_once(
        [
            lambda c=c, t=t: c.request("/signup", {**form, "csrf_token": t})
            for c, t in zip(clients, tokens, strict=True)
        ]  # fmt: skip
    )

    assert [status for status, _ in results] == [200] * RACERS
    assert all("Check your mail" in page for _, page in results)
    assert session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_joining_four_times_at_once_makes_one_profile(server, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    other = factories.event(session, owner, name="Other")
    factories.attendee(session, other, email="ana@example.org")
    client = Client(server)
    client.login("ana@example.org")
    join = f"/join/{ev.join_token}"
    token = client.token(join)

    results = _at_once([lambda: client.request(join, {"csrf_token": token})] * RACERS)

    assert [status for status, _ in results] == [302] * RACERS
    session.expire_all()
    assert (
        session.scalar(sa.select(sa.func.count(Profile.id)).where(Profile.event_id == ev.id)) == 1
    )


def _profile_form(slot_ids, name, interests, headline="") -> dict:
    return {"name": name, "headline": headline, "interests": interests, "format": "any",
            "available_slots": slot_ids}  # fmt: skip


def test_four_people_adding_the_same_new_tag_at_once_share_one_tag(server, session):
    ev, people = factories.matchable_event(session, people=RACERS)
    slug, slots = ev.slug, [s.id for s in ev.slots]
    clients = []
    for k in range(RACERS):
        client = Client(server)
        client.login(f"person{k}@example.org")
        clients.append((client, client.token(f"/events/{ev.slug}/profile")))

    results = _at_once(
        [
            lambda c=c, t=t, k=k: c.request(
                f"/events/{slug}/profile",
                {**_profile_form(slots, f"Person {k}", "brand new topic, data"), "csrf_token": t},
            )
            for k, (c, t) in enumerate(clients)
        ]  # fmt: skip
    )

    errors = [re.findall(r'class="error"[^>]*>([^<]+)<', page) for _, page in results]
    assert [status for status, _ in results] == [302] * RACERS, errors
    session.expire_all()
    tag = session.scalars(sa.select(Tag).where(Tag.name == "brand new topic")).one()
    holders = session.scalar(
        sa.select(sa.func.count()).select_from(Profile).join(Profile.tags).where(Tag.id == tag.id)
    )
    assert holders == RACERS


def test_four_saves_of_one_profile_at_once_leave_one_whole_version(server, session):
    ev, people = factories.matchable_event(session, people=1)
    slug, slots = ev.slug, [s.id for s in ev.slots]
    client = Client(server)
    client.login("person0@example.org")
    token = client.token(f"/events/{ev.slug}/profile")
    versions = [(f"Headline {k}", f"topic{k}, shared{k}") for k in range(RACERS)]

    results = _at_once(
        [
            lambda h=h, i=i: client.request(
                f"/events/{slug}/profile",
                {**_profile_form(slots, "Person 0", i, h), "csrf_token": token},
            )
            for h, i in versions
        ]  # fmt: skip
    )

    assert [status for status, _ in results] == [302] * RACERS
    session.expire_all()
    profile = session.get(Profile, people[0].id)
    k = int(profile.headline.split()[-1])
    assert sorted(t.name for t in profile.tags) == sorted([f"topic{k}", f"shared{k}"])


def test_four_events_of_one_name_created_at_once_get_four_addresses(server, session):
    factories.organiser(session)
    client = Client(server)
    client.login("org@example.org")
    token = client.token("/organiser/events/new")
    form = {"name": "Same Name Conf", "timezone": "UTC", "starts_on": "2030-05-14",
            "ends_on": "2030-05-14", "max_meetings": "6", "group_size_min": "3",
            "group_size_max": "6", "csrf_token": token}  # fmt: skip

    results = _at_once([lambda: client.request("/organiser/events/new", form)] * RACERS)

    assert [status for status, _ in results] == [302] * RACERS
    slugs = sorted(session.scalars(sa.select(Event.slug)))
    assert len(set(slugs)) == RACERS
    assert slugs[0] == "same-name-conf"

"""Limits on failed logins and sign-ups: counted per account and per network address."""

import hashlib
import uuid

import pytest

from matchmaker import create_app, throttle
from matchmaker.extensions import db
from matchmaker.models import User
from tests import factories
from tests.conftest import REDIS_URL


def _login(client, email, password, address="10.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_sixth_failed_login_in_a_minute_is_refused_even_with_the_right_password(client, session):
    factories.organiser(session, email="olga@example.org")
    failures = [_login(client, "olga@example.org", "wrong guess").status_code for _ in range(5)]

    refused = _login(client, "OLGA@example.org", factories.PASSWORD)
    page = refused.get_data(as_text=True)

    assert failures == [200] * 5
    assert refused.status_code == 429
    assert throttle.TOO_MANY_LOGINS in page
    assert 'value="OLGA@example.org"' in page
    assert factories.PASSWORD not in page
    assert client.get("/organiser/events").status_code == 302  # not logged in


def test_a_strangers_wrong_guesses_never_lock_the_owner_out(client, session):
    factories.organiser(session, email="olga@example.org")
    stranger = [
        _login(client, "olga@example.org", "wrong guess", address="203.0.113.5").status_code
        for _ in range(6)
    ]

    owner = _login(client, "olga@example.org", factories.PASSWORD, address="198.51.100.7")

    assert stranger == [200] * 5 + [429]
    assert owner.status_code == 302


def test_guesses_from_many_addresses_never_stop_the_owners_own_browser(client, session):
    """24 addresses x 8 wrong passwords exhaust the account's limit for untrusted clients;
    the owner, in the browser where they logged in before (its device cookie), on a fresh
    address, still gets in with the right password."""
    factories.organiser(session, email="olga@example.org")
    owner = client.application.test_client()
    assert _login(owner, "olga@example.org", factories.PASSWORD).status_code == 302
    owner.post("/logout")
    for k in range(24):
        for _ in range(8):
            _login(client, "olga@example.org", "wrong guess", address=f"10.2.{k}.1")
    stranger_right = _login(client, "olga@example.org", factories.PASSWORD, address="10.9.9.9")

    back = _login(owner, "olga@example.org", factories.PASSWORD, address="198.51.100.7")

    assert stranger_right.status_code == 429  # untrusted: the account's limit holds
    assert back.status_code == 302


def test_a_trusted_device_has_its_own_limit_on_wrong_passwords(client, session):
    factories.organiser(session, email="olga@example.org")
    assert _login(client, "olga@example.org", factories.PASSWORD).status_code == 302
    client.post("/logout")

    tries = [_login(client, "olga@example.org", "wrong").status_code for _ in range(6)]

    assert tries == [200] * 5 + [429]


def test_a_device_cookie_of_another_account_or_forged_is_not_trusted(app, client, session):
    factories.organiser(session, email="olga@example.org")
    factories.organiser(session, email="otto@example.org")
    assert _login(client, "otto@example.org", factories.PASSWORD).status_code == 302
    client.post("/logout")
    otto_device = client.get_cookie(throttle.DEVICE_COOKIE, domain="matchmaker.test").value
    with app.test_request_context(
        "/login", method="POST", data={"email": "olga@example.org"},
        headers={"Cookie": f"{throttle.DEVICE_COOKIE}={otto_device}"},
    ):  # fmt: skip
        for_otto_only = throttle.trusted_device()
    with app.test_request_context(
        "/login", method="POST", data={"email": "olga@example.org"},
        headers={"Cookie": f"{throttle.DEVICE_COOKIE}=forged.value"},
    ):  # fmt: skip
        forged = throttle.trusted_device()

    assert (for_otto_only, forged) == (False, False)


def test_guesses_at_one_account_spread_over_many_addresses_are_limited(client, session):
    factories.organiser(session, email="olga@example.org")
    statuses = [
        _login(
            client, "olga@example.org", "wrong", address=f"10.{k // 200}.{k % 200}.1"
        ).status_code
        for k in range(61)
    ]

    assert statuses == [200] * 60 + [429]


def test_an_over_long_email_is_refused_before_any_counter_or_query(app, client, session):
    import sqlalchemy as sa

    from matchmaker.extensions import db

    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = _login(client, "a" * 300 + "@example.org", "x")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)

    assert response.status_code == 400
    assert throttle.EMAIL_TOO_LONG in response.get_data(as_text=True)
    assert statements == []


def test_limit_keys_are_digests_of_the_email(app):
    with app.test_request_context("/login", method="POST", data={"email": " Olga@Example.org "}):
        key = throttle.account_key()

    assert key == "account:" + hashlib.sha256(b"olga@example.org").hexdigest()


def test_other_accounts_still_log_in_while_one_is_limited(client, session):
    factories.organiser(session, email="olga@example.org")
    factories.organiser(session, email="otto@example.org")
    for _ in range(5):
        _login(client, "olga@example.org", "wrong guess")

    assert _login(client, "otto@example.org", factories.PASSWORD).status_code == 302


def test_successful_logins_do_not_count(client, session):
    factories.organiser(session, email="olga@example.org")
    statuses = []
    for _ in range(8):
        statuses.append(_login(client, "olga@example.org", factories.PASSWORD).status_code)
        client.post("/logout")

    assert statuses == [302] * 8


def test_many_failed_logins_from_one_address_are_refused(client, session):
    statuses = [
        _login(client, f"person{k}@example.org", "wrong guess").status_code for k in range(31)
    ]

    assert statuses == [200] * 30 + [429]
    assert _login(client, "someone@example.org", "wrong", address="10.9.9.9").status_code == 200


def _signup(client, url, k, address="10.0.0.1"):
    return client.post(
        url,
        data={
            "name": f"Person {k}",
            "email": f"person{k}@example.org",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
        environ_base={"REMOTE_ADDR": address},
    )


def test_organiser_signups_from_one_address_are_limited_and_keep_input(client, session):
    statuses = [_signup(client, "/signup", k).status_code for k in range(30)]
    client.post("/logout")

    refused = _signup(client, "/signup", 30)
    page = refused.get_data(as_text=True)

    assert statuses == [200] * 30
    assert refused.status_code == 429
    assert throttle.TOO_MANY_SIGNUPS in page
    assert 'value="Person 30"' in page
    assert 'value="person30@example.org"' in page
    assert session.query(User).count() == 30


def test_join_link_signups_from_one_address_are_limited_and_keep_input(client, session):
    owner = factories.organiser(session)
    event = factories.event(session, owner)
    url = f"/join/{event.join_token}"
    statuses = []
    for k in range(30):
        statuses.append(_signup(client, url, k).status_code)
        client.post("/logout")

    refused = _signup(client, url, 30)
    page = refused.get_data(as_text=True)

    assert statuses == [200] * 30
    assert refused.status_code == 429
    assert f"Join {event.name}" in page
    assert throttle.TOO_MANY_SIGNUPS in page
    assert 'value="person30@example.org"' in page
    assert session.query(User).count() == 31  # the organiser and 30 attendees


@pytest.fixture
def redis_counts(database_url, redis_server):
    """Config for apps that count in Redis under a key prefix of their own."""
    server = redis_server
    prefix = uuid.uuid4().hex
    yield {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    for key in server.scan_iter(match=f"*{prefix}*"):
        server.delete(key)


def test_failed_logins_counted_in_redis_hold_for_a_new_worker(redis_counts):
    first = create_app(redis_counts)
    with first.app_context():
        statuses = [
            _login(first.test_client(), "olga@example.org", "wrong").status_code for _ in range(5)
        ]
        db.engine.dispose()

    # A new app starts with empty counters of its own, unless they live in Redis.
    second = create_app(redis_counts)
    with second.app_context():
        refused = _login(second.test_client(), "olga@example.org", "wrong")
        db.engine.dispose()

    assert statuses == [200] * 5
    assert refused.status_code == 429


def test_behind_a_proxy_each_forwarded_address_counts_alone(database_url):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MATCHMAKER_PROXY_HOPS": 1,
        }
    )
    client = app.test_client()

    def attempt(k, forwarded_for):
        return client.post(
            "/login",
            data={"email": f"person{k}@example.org", "password": "wrong"},
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},  # the proxy
        ).status_code

    first = [attempt(k, "203.0.113.7") for k in range(31)]
    other = attempt(99, "198.51.100.2")
    with app.app_context():
        db.engine.dispose()

    assert first == [200] * 30 + [429]
    assert other == 200


def test_a_ten_megabyte_email_is_refused_without_reading_it_into_the_limiter(client):
    response = _login(client, "a" * 10_000_000, "x")

    assert response.status_code == 413
    assert "larger than this site takes" in response.get_data(as_text=True)

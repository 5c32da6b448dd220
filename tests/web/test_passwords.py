"""Forgotten passwords: a link by mail, good once, for a limited time."""

import re
import time

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.auth.passwords import SENT
from matchmaker.extensions import db, mail
from matchmaker.models import OutgoingMail
from matchmaker.services.people import passwords
from tests import factories

NEW = "a brand new password"


@pytest.fixture
def outbox(app):
    app.config["MAIL_SERVER"] = "smtp.example.test"  # TESTING suppresses the real sending
    with mail.record_messages() as sent:
        yield sent


def _ask(client, email, address="10.0.0.1"):
    return client.post(
        "/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def _link(message) -> str:
    return re.search(r"http://matchmaker\.test(/password/reset/\S+)", message.body).group(1)


def _choose(client, link, password=NEW, confirm=None):
    return client.post(link, data={"password": password, "confirm": confirm or password})


def test_login_page_links_to_forgotten_password(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_asking_mails_a_link_to_the_account(client, session, outbox):
    factories.organiser(session, email="olga@example.org", name="Olga")

    response = _ask(client, "OLGA@example.org")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert len(outbox) == 1
    assert outbox[0].recipients == ["olga@example.org"]
    assert outbox[0].subject == "Choose a new matchmaker password"
    assert "Hello Olga," in outbox[0].body
    assert "within 1 hour to do so" in outbox[0].body
    assert str(SENT) in client.get("/login").get_data(as_text=True)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, session, outbox):
    response = _ask(client, "nobody@example.org")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert outbox == []
    assert str(SENT) in client.get("/login").get_data(as_text=True)


def test_an_empty_address_is_named(client, outbox):
    page = _ask(client, "").get_data(as_text=True)

    assert "This field is required." in page
    assert outbox == []


def test_the_link_sets_a_new_password_and_logs_in(client, session, outbox):
    user = factories.organiser(session, email="olga@example.org")
    _ask(client, "olga@example.org")
    link = _link(outbox[0])

    form = client.get(link).get_data(as_text=True)
    response = _choose(client, link)

    assert "For olga@example.org." in form
    assert response.status_code == 302
    assert client.get("/organiser/events").status_code == 200
    session.refresh(user)
    assert user.check_password(NEW)
    assert not user.check_password(factories.PASSWORD)


def test_the_link_works_once(client, session, outbox):
    factories.organiser(session, email="olga@example.org")
    _ask(client, "olga@example.org")
    link = _link(outbox[0])
    _choose(client, link)
    client.post("/logout")

    again = _choose(client, link, password="yet another password")

    assert again.status_code == 410
    assert passwords.LINK_USED in again.get_data(as_text=True)
    assert client.get("/organiser/events").status_code == 302  # not logged in
    assert factories.login(client, "olga@example.org", NEW)


def test_an_old_link_has_expired(client, session, outbox, monkeypatch):
    factories.organiser(session, email="olga@example.org")
    _ask(client, "olga@example.org")
    link = _link(outbox[0])
    later = time.time() + 3601
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)

    response = client.get(link)

    assert response.status_code == 410
    assert passwords.LINK_EXPIRED in response.get_data(as_text=True)


def test_a_tampered_link_is_refused(client, session, outbox):
    factories.organiser(session, email="olga@example.org")
    _ask(client, "olga@example.org")
    link = _link(outbox[0])

    response = _choose(client, link[:-3] + "abc")

    assert response.status_code == 410
    assert passwords.LINK_WRONG in response.get_data(as_text=True)
    assert factories.login(client, "olga@example.org")


def test_a_bad_new_password_is_named_and_nothing_changes(client, session, outbox):
    user = factories.organiser(session, email="olga@example.org")
    _ask(client, "olga@example.org")
    link = _link(outbox[0])

    short = _choose(client, link, password="short").get_data(as_text=True)
    differ = _choose(client, link, password=NEW, confirm="something else").get_data(as_text=True)

    assert "Use 10 to 200 characters." in short
    assert "The passwords differ." in differ
    session.refresh(user)
    assert user.check_password(factories.PASSWORD)
    assert _choose(client, link).status_code == 302  # the link still works


def test_a_link_for_one_account_never_changes_another(client, session, outbox):
    factories.organiser(session, email="olga@example.org")
    otto = factories.organiser(session, email="otto@example.org")
    _ask(client, "olga@example.org")
    link = _link(outbox[0])
    factories.login(client, "otto@example.org")

    _choose(client, link)

    session.refresh(otto)
    assert otto.check_password(factories.PASSWORD)
    assert client.get("/organiser/events").status_code == 200


def test_reset_mails_per_account_from_one_address_are_limited(client, session, outbox):
    factories.organiser(session, email="olga@example.org")
    statuses = [_ask(client, "olga@example.org", "10.0.0.9").status_code for _ in range(3)]

    fourth = _ask(client, "olga@example.org", "10.0.0.9")

    assert statuses == [302] * 3
    assert fourth.status_code == 302  # the same answer as any request: nothing to learn
    assert len(outbox) == 3  # and no more mail: the links sent already work


def test_a_stranger_asking_for_resets_does_not_block_the_owners_mail(client, session, outbox):
    factories.organiser(session, email="olga@example.org")
    stranger = [_ask(client, "olga@example.org", "203.0.113.5").status_code for _ in range(4)]

    owner = _ask(client, "olga@example.org", "198.51.100.7")

    assert stranger == [302, 302, 302, 302]
    assert owner.status_code == 302
    assert len(outbox) == 4


def test_reset_mails_per_account_over_many_addresses_are_limited(client, session, outbox):
    factories.organiser(session, email="olga@example.org")
    statuses = [_ask(client, "olga@example.org", f"10.0.0.{k}").status_code for k in range(11)]

    assert statuses == [302] * 11
    assert len(outbox) == 10


def test_strangers_on_many_addresses_cannot_stop_the_owners_browser_getting_a_link(
    client, session, outbox
):
    """24 addresses x 3 requests exhaust the account's limits; the owner asks from their own
    browser (where they logged in before: its device cookie) on a fresh address."""
    factories.organiser(session, email="olga@example.org")
    owner = client.application.test_client()
    factories.login(owner, "olga@example.org")
    owner.post("/logout")
    for k in range(24):
        for _ in range(3):
            _ask(client, "olga@example.org", f"10.1.{k}.1")
    sent_by_strangers = len(outbox)

    asked = _ask(owner, "olga@example.org", "198.51.100.99")

    assert sent_by_strangers == 10
    assert asked.status_code == 302
    assert len(outbox) == 11


def test_without_a_mail_server_the_mail_goes_to_the_log(client, session, caplog):
    factories.organiser(session, email="olga@example.org")

    _ask(client, "olga@example.org")

    assert "MAIL_SERVER is unset, so this mail was not sent." in caplog.text
    assert "To: olga@example.org" in caplog.text
    assert "/password/reset/" in caplog.text


def test_a_mail_server_that_does_not_answer_leaves_the_mail_waiting_and_the_page_the_same(
    database_url,
):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "matchmaker.test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": 9,  # nothing listens there
            "MAIL_USE_TLS": False,
            "MAIL_SUPPRESS_SEND": False,
            "MATCHMAKER_JOBS_INLINE": True,
        }
    )
    with app.app_context():
        factories.organiser(db.session, email="olga@example.org")

        response = _ask(app.test_client(), "olga@example.org")

        waiting = db.session.scalars(sa.select(OutgoingMail)).one()
        found = (waiting.to, waiting.status, waiting.attempts, waiting.error.split(":")[0])
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 302
    # Tried once through the mail job; due again in 30 seconds, and then with growing waits.
    assert found == ("olga@example.org", "queued", 1, "ConnectionRefusedError")


def test_a_new_password_ends_every_other_session(app, session, outbox):
    factories.organiser(session, email="olga@example.org")
    phone, laptop = app.test_client(), app.test_client()
    factories.login(phone, "olga@example.org")
    _ask(laptop, "olga@example.org")

    _choose(laptop, _link(outbox[0]))

    assert laptop.get("/organiser/events").status_code == 200
    assert phone.get("/organiser/events").headers["Location"].startswith("/login")

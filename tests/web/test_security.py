"""Security headers, sessions that end at logout, and hostile text."""

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.security import CONTENT_SECURITY_POLICY
from tests import factories


@pytest.mark.parametrize("path", ["/", "/login", "/static/style.css", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_when_cookies_are_secure(database_url):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SESSION_COOKIE_SECURE": True}
    )

    response = app.test_client().get("/login")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    with app.app_context():
        db.engine.dispose()


def test_no_page_has_an_inline_script_or_style(client, session):
    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}").get_data(as_text=True)

    assert "<script>" not in page and " style=" not in page and "<style" not in page


def _cookie(client, name):
    cookie = client.get_cookie(name, domain="matchmaker.test")
    return cookie.value if cookie else None


def test_a_session_cookie_copied_before_logout_no_longer_works(app, client, session):
    factories.organiser(session, email="olga@example.org")
    factories.login(client, "olga@example.org")
    stolen = _cookie(client, "session")

    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="matchmaker.test")

    response = thief.get("/organiser/events")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_remember_me_cookie_copied_before_logout_no_longer_works(app, client, session):
    factories.organiser(session, email="olga@example.org")
    client.post(
        "/login",
        data={"email": "olga@example.org", "password": factories.PASSWORD, "remember": "y"},
    )
    remembered = _cookie(client, "remember_token")
    assert remembered

    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered, domain="matchmaker.test")

    assert thief.get("/organiser/events").status_code == 302


def test_logging_in_again_after_logout_works(client, session):
    factories.organiser(session, email="olga@example.org")
    factories.login(client, "olga@example.org")
    client.post("/logout")

    factories.login(client, "olga@example.org")

    assert client.get("/organiser/events").status_code == 200


def _confirm_link(app, client, name, email):
    import re

    from tests.fakes import RecordingMailer

    app.extensions["mailer"] = mailer = RecordingMailer()
    client.post("/signup", data={"name": name, "email": email})
    return re.search(r"http://matchmaker\.test(/confirm/\S+)", mailer.sent[0].body).group(1)


@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "1234567890", "password123", "qwertyuiop"])
def test_a_common_or_simple_password_is_refused_when_confirming(app, client, session, weak):
    from matchmaker.models import User
    from matchmaker.services.people.accounts import WEAK_PASSWORD

    link = _confirm_link(app, client, "Olga", "olga@example.org")

    response = client.post(link, data={"name": "Olga", "password": weak, "confirm": weak})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert WEAK_PASSWORD in page
    assert 'value="Olga"' in page
    assert session.query(User).one().confirmation_pending


def test_a_password_made_of_ones_own_name_is_refused(app, client, session):
    from matchmaker.services.people.accounts import WEAK_PASSWORD

    link = _confirm_link(app, client, "Bartholomew", "bartholomew@example.org")

    response = client.post(
        link,
        data={"name": "Bartholomew", "password": "bartholomew1", "confirm": "bartholomew1"},
    )

    assert WEAK_PASSWORD in response.get_data(as_text=True)


def test_opening_someone_elses_confirmation_link_logs_nobody_in(app, client, session):
    """Login CSRF: a page that makes a visitor open the link of an account the attacker
    signed up must not log the visitor in as the attacker."""
    link = _confirm_link(app, client, "Mallory", "mallory@example.org")
    visitor = app.test_client()

    opened = visitor.get(link)

    assert opened.status_code == 200
    assert visitor.get("/organiser/events").status_code == 302


def test_the_confirmation_form_needs_its_csrf_token(database_url):
    import re

    from tests.fakes import RecordingMailer

    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SERVER_NAME": "m.test"}
    )
    app.extensions["mailer"] = mailer = RecordingMailer()
    app.config["MATCHMAKER_JOBS_INLINE"] = True
    client = app.test_client()
    page = client.get("/signup").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/signup", data={"name": "Mallory", "email": "m@example.org", "csrf_token": token})
    link = re.search(r"http://m\.test(/confirm/\S+)", mailer.sent[0].body).group(1)

    forged = app.test_client().post(
        link, data={"name": "M", "password": "long enough pw", "confirm": "long enough pw"}
    )

    assert forged.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(User.confirmation_pending)) is True
        db.session.remove()
        db.engine.dispose()


def test_the_csrf_token_changes_at_login(database_url):
    import re

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    with app.app_context():
        factories.organiser(db.session, email="olga@example.org")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with client.session_transaction() as before:
        raw_before = before.get("csrf_token")

    client.post(
        "/login",
        data={"email": "olga@example.org", "password": factories.PASSWORD, "csrf_token": token},
    )

    with client.session_transaction() as after:
        assert after.get("csrf_token") != raw_before
    assert raw_before is not None
    with app.app_context():
        db.engine.dispose()


def test_a_wrong_method_gets_the_apps_own_page(client):
    response = client.get("/logout")

    page = response.get_data(as_text=True)
    assert response.status_code == 405
    assert "<h1>Not allowed</h1>" in page
    assert "does not take that kind of request" in page


def test_pages_read_with_a_held_session_set_no_cookie(client, session):
    # Signing and sending the session again on every page costs each request a tenth of its
    # time (docs/performance.md); only a change to the session may set the cookie.
    ev, _ = factories.published_event(session, people=4, tables=2)
    factories.login(client, "person0@example.org")
    client.get("/")  # the first page with a form keeps its CSRF secret in the session
    attendee = [f"/events/{ev.slug}/schedule", f"/events/{ev.slug}/introductions"]

    assert [client.get(path).headers.get("Set-Cookie") for path in attendee] == [None, None]

    client.post("/logout")
    factories.login(client, "org@example.org")
    client.get("/")
    organiser = [
        f"/organiser/events/{ev.id}",
        f"/organiser/events/{ev.id}/runs/{ev.published_run_id}",
    ]

    assert [client.get(path).headers.get("Set-Cookie") for path in organiser] == [None, None]


def test_a_session_carried_to_another_browser_is_no_longer_fresh(app, client, session):
    # Flask-Login's session protection: the same cookie from a browser with another name is
    # marked not fresh (once), and a page that asks for a fresh login would ask again.
    factories.organiser(session, email="olga@example.org")
    factories.login(client, "olga@example.org")
    client.get("/")
    other = app.test_client()
    other.environ_base["HTTP_USER_AGENT"] = "another browser"
    other.set_cookie("session", _cookie(client, "session"), domain="matchmaker.test")

    response = other.get("/organiser/events")

    assert response.status_code == 200
    assert "Set-Cookie" in response.headers
    with other.session_transaction() as carried:
        assert carried["_fresh"] is False

"""Security headers, sessions that end at logout, and hostile text."""

import pytest

from matchmaker import create_app
from matchmaker.extensions import db
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

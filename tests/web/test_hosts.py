"""Links in mail come from the configured base URL; requests for unknown hosts are refused."""

import re

import pytest

from matchmaker import create_app
from matchmaker.config import ConfigError
from matchmaker.extensions import db, mail
from tests import factories


def _app(database_url, **config):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "MATCHMAKER_JOBS_INLINE": True,
            **config,
        }
    )


def _ask_reset(client, host):
    return client.post(
        "/password/forgot", data={"email": "olga@example.org"}, headers={"Host": host}
    )


def test_a_reset_asked_through_a_foreign_host_is_refused_and_mails_nothing(app, session):
    factories.organiser(session, email="olga@example.org")
    app.config["MAIL_SERVER"] = "smtp.example.test"

    with mail.record_messages() as outbox:
        response = _ask_reset(app.test_client(), "evil.example")

    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)
    assert outbox == []


def test_a_reset_link_points_at_the_base_url_whatever_host_was_asked(database_url):
    app = _app(
        database_url,
        TESTING=True,
        MATCHMAKER_BASE_URL="https://meet.example.org",
        MATCHMAKER_EXTRA_HOSTS=["backend.internal"],
        MAIL_SERVER="smtp.example.test",
    )
    with app.app_context():
        factories.organiser(db.session, email="olga@example.org")
        with mail.record_messages() as outbox:
            response = _ask_reset(app.test_client(), "backend.internal:8000")
        db.session.remove()
        db.engine.dispose()

    assert response.status_code == 302
    assert len(outbox) == 1
    links = re.findall(r"\S+/password/reset/\S+", outbox[0].body)
    assert len(links) == 1 and links[0].startswith("https://meet.example.org/password/reset/")


def test_the_base_url_host_and_extra_hosts_are_the_only_trusted_ones(database_url):
    app = _app(
        database_url,
        MATCHMAKER_BASE_URL="https://meet.example.org/",
        MATCHMAKER_EXTRA_HOSTS=["backend.internal"],
    )

    assert app.config["MATCHMAKER_BASE_URL"] == "https://meet.example.org/"
    assert app.config["TRUSTED_HOSTS"] == ["meet.example.org", "backend.internal"]
    assert app.test_client().get("/login", headers={"Host": "meet.example.org"}).status_code == 200
    assert app.test_client().get("/login", headers={"Host": "evil.example"}).status_code == 400


def test_outside_development_and_tests_the_base_url_is_required(database_url):
    with pytest.raises(ConfigError, match="MATCHMAKER_BASE_URL is not set"):
        _app(database_url, MATCHMAKER_BASE_URL=None, MATCHMAKER_ENV="production")


def test_in_development_without_a_base_url_only_loopback_hosts_answer(database_url):
    app = _app(database_url, MATCHMAKER_BASE_URL=None, MATCHMAKER_ENV="development")

    assert app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1", "::1"]
    assert app.test_client().get("/login", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert app.test_client().get("/login", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    "base_url", ["meet.example.org", "ftp://meet.example.org", "https://meet.example.org/app"]
)
def test_a_base_url_that_is_not_an_origin_is_named(database_url, base_url):
    with pytest.raises(ConfigError, match="MATCHMAKER_BASE_URL: .* is not an address like"):
        _app(database_url, MATCHMAKER_BASE_URL=base_url)

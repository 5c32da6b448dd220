"""The database refuses while people are logged in: every page, the data download and the
run status answer the 503 page with Retry-After and the security headers, and the error page
itself needs no database."""

import pytest

from matchmaker.errors import DATABASE_DOWN
from matchmaker.extensions import db
from tests import factories


def _refuse_connections(monkeypatch):
    """From now on, every new connection is refused (as by a database that went down)."""
    db.engine.dispose()
    dialect = db.engine.dialect

    def refused(*args, **kwargs):
        raise dialect.loaded_dbapi.OperationalError("connection refused (fault injected)")

    monkeypatch.setattr(dialect, "connect", refused)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("org@example.org", "/organiser/events/{event}"),
        ("org@example.org", "/organiser/events/{event}/runs/{run}/status"),
        ("person0@example.org", "/events/{slug}/introductions"),
        ("person0@example.org", "/account/data.json"),
        ("person0@example.org", "/events"),
    ],
)
def test_a_logged_in_page_gets_the_503_page_with_headers(
    app, client, session, monkeypatch, who, path
):
    ev, _ = factories.published_event(session)
    run_id = ev.published_run_id
    factories.login(client, who)
    url = path.format(event=ev.id, run=run_id, slug=ev.slug)
    assert client.get(url).status_code == 200
    session.commit()
    _refuse_connections(monkeypatch)

    response = client.get(url)

    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert DATABASE_DOWN in page


def test_a_form_sent_while_the_database_refuses_gets_the_503_page(
    app, client, session, monkeypatch
):
    ev, _ = factories.published_event(session)
    url = f"/organiser/events/{ev.id}/runs"
    factories.login(client, "org@example.org")
    session.commit()
    _refuse_connections(monkeypatch)

    response = client.post(url)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Content-Security-Policy" in response.headers

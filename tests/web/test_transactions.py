"""The one transaction rule at the web boundary (docs/transactions.md): a GET writes nothing;
a write is committed once, after the view, only when it succeeded; its mail leaves and its
jobs start only after that commit."""

import pytest
import sqlalchemy as sa
from flask import flash, redirect

from matchmaker.boundary import after_commit
from matchmaker.extensions import db
from matchmaker.mailer import current_mailer
from matchmaker.models import Tag
from matchmaker.services.core import reads
from matchmaker.services.core.messages import Mail
from matchmaker.services.errors import Invalid
from tests import factories
from tests.fakes import RecordingMailer


@pytest.fixture
def routes(app, session):
    """Views that write a tag, then succeed or fail in the ways real views do."""
    ev = factories.event(session, factories.organiser(session))
    mailer = app.extensions["mailer"] = RecordingMailer()
    started: list[str] = []

    def write(name: str) -> None:
        db.session.add(Tag(event_id=ev.id, name=name))
        db.session.flush()
        current_mailer().send(Mail(to="ana@example.org", subject=name, body=name))
        after_commit(lambda: started.append(name))

    def good():
        write("kept")
        flash("Saved.", "success")
        return redirect("/")

    def refused():
        write("refused")
        raise Invalid.field("name", "No.")

    def twice():
        write("twice")  # the second tag of the same name breaks a unique rule at commit
        db.session.add(Tag(event_id=ev.id, name="kept"))
        flash("Saved.", "success")
        return redirect("/")

    def written_on_get():
        write("on-get")
        return "never"

    app.add_url_rule("/t/good", view_func=good, methods=["POST"])
    app.add_url_rule("/t/refused", view_func=refused, methods=["POST"])
    app.add_url_rule("/t/twice", view_func=twice, methods=["POST"])
    app.add_url_rule("/t/get", view_func=written_on_get)
    return ev, mailer, started


def _tags(session) -> list[str]:
    session.expire_all()
    return sorted(session.scalars(sa.select(Tag.name)))


def test_a_write_that_succeeds_is_committed_then_mailed_and_started(client, session, routes):
    _ev, mailer, started = routes

    response = client.post("/t/good")

    assert response.status_code == 302
    assert _tags(session) == ["kept"]
    assert [m.subject for m in mailer.sent] == ["kept"] and started == ["kept"]


def test_a_refused_write_is_rolled_back_and_tells_nobody(client, session, routes):
    _ev, mailer, started = routes

    response = client.post("/t/refused")

    assert response.status_code == 400
    assert _tags(session) == [] and mailer.sent == [] and started == []


def test_a_commit_that_fails_answers_409_and_takes_back_what_it_said(client, session, routes):
    _ev, mailer, started = routes
    client.post("/t/good")

    response = client.post("/t/twice")
    after = client.get("/").get_data(as_text=True)

    assert response.status_code == 409
    assert _tags(session) == ["kept"]
    assert [m.subject for m in mailer.sent] == ["kept"] and started == ["kept"]
    assert "Saved." not in after  # the flash of the failed request was taken back


def test_a_get_cannot_write(client, session, routes):
    _ev, mailer, started = routes

    with pytest.raises(reads.WriteOnReadsOnly):  # a 500 outside tests
        client.get("/t/get")

    assert _tags(session) == [] and mailer.sent == [] and started == []

"""Importing attendees in the browser's terms: upload, preview, confirm, claim."""

import io
import re

import sqlalchemy as sa

from matchmaker.models import User
from tests import factories
from tests.fakes import RecordingMailer

CSV = "name,email,interests\nBea Blue,bea@example.org,rust|web\nBad,nope,\n"


def _upload(client, ev, text=CSV, name="people.csv"):
    return client.post(
        f"/organiser/events/{ev.id}/import",
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def test_upload_preview_confirm_and_claim(app, client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    app.extensions["mailer"] = mailer = RecordingMailer()

    uploaded = _upload(client, ev)
    preview = client.get(uploaded.headers["Location"]).get_data(as_text=True)

    assert uploaded.status_code == 302
    assert (
        '<td data-label="Line">3</td><td data-label="Result">reject</td><td data-label="Name">Bad</td>'
        '<td data-label="Email">nope</td><td data-label="Why">email &#39;nope&#39; is not an email address</td>'
        in preview
    )
    assert "Import the 1 valid line<" in preview
    assert session.scalar(sa.select(User.id).where(User.email == "bea@example.org")) is None

    confirmed = client.post(uploaded.headers["Location"] + "/confirm")

    assert confirmed.headers["Location"] == f"/organiser/events/{ev.id}/attendees"
    assert "Imported: 1 invited, 0 updated; invitations sent: 1." in client.get(
        confirmed.headers["Location"]
    ).get_data(as_text=True)
    link = re.search(r"http://matchmaker\.test(/claim/\S+)", mailer.sent[0].body).group(1)

    bea = app.test_client()
    claimed = bea.post(
        link, data={"password": "a long new password", "confirm": "a long new password"}
    )

    assert claimed.headers["Location"] == "/events"
    assert "PyCon Test" in bea.get("/events").get_data(as_text=True)
    assert (
        bea.post(
            link, data={"password": "another password!", "confirm": "another password!"}
        ).status_code
        == 410
    )


def test_a_file_with_a_wrong_header_comes_back_with_the_line_named(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)

    response = _upload(client, ev, "fullname,email\nA,a@example.org\n")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 1 (the header): column &#39;name&#39; is missing" in page


def test_a_request_over_the_size_limit_gets_a_clear_413(app, client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    app.config["MAX_CONTENT_LENGTH"] = 1000

    response = _upload(client, ev, "name,email\n" + "x" * 2000)

    assert response.status_code == 413
    assert "larger than this site takes" in response.get_data(as_text=True)


def test_the_preview_says_how_many_invitations_are_left_today_and_the_cap_holds(
    app, client, session
):
    owner = factories.organiser(session)  # a new account: the small limit
    ev = factories.event(session, owner)
    app.config["MATCHMAKER_INVITATIONS_PER_DAY_NEW"] = 2
    factories.login(client, owner.email)
    rows = "".join(f"P{k},p{k}@example.org\n" for k in range(3))
    location = _upload(client, ev, "name,email\n" + rows).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    import_id = re.search(r"/import/(\d+)$", location).group(1)

    refused = client.post(f"/organiser/events/{ev.id}/import/{import_id}/confirm")

    assert "You can send 2 more invitations today (your limit is 2 in 24 hours)." in page
    assert "This list would send 3 invitations" in page
    assert "Import the 3 valid lines" not in page  # refused whole, nothing to press
    assert refused.status_code == 409
    assert "you can send 2 more today" in refused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_allow_invitations_raises_one_organisers_limit(app, session):
    owner = factories.organiser(session, email="olga@example.org")

    result = app.test_cli_runner().invoke(args=["allow-invitations", "OLGA@example.org", "5000"])
    unknown = app.test_cli_runner().invoke(args=["allow-invitations", "nobody@example.org", "9"])

    session.refresh(owner)
    assert result.output == "olga@example.org may now send 5000 invitation(s) in 24 hours.\n"
    assert owner.invitations_per_day == 5000
    assert unknown.exit_code == 1

import re

import pytest

from matchmaker.models import User
from tests import factories
from tests.fakes import RecordingMailer


def test_home_says_what_matchmaker_does(client):
    page = client.get("/").get_data(as_text=True)

    assert "Meet the people you came for." in page
    assert 'href="/signup"' in page
    assert 'href="/login"' in page


OLGA = {"name": "Olga", "email": "Olga@Example.org"}
CHOSEN = {"name": "Olga Owner", "password": "long enough pw", "confirm": "long enough pw"}


@pytest.fixture
def mailer(app):
    app.extensions["mailer"] = recording = RecordingMailer()
    return recording


def _link(mail) -> str:
    return re.search(r"http://matchmaker\.test(/confirm/\S+)", mail.body).group(1)


def test_organiser_signup_asks_to_confirm_then_the_link_logs_in(client, session, mailer):
    response = client.post("/signup", data=OLGA)

    assert response.status_code == 200
    assert "We have sent a mail to <strong>Olga@Example.org</strong>" in response.get_data(
        as_text=True
    )
    user = session.query(User).one()
    assert (user.email, user.is_organiser, user.confirmation_pending) == (
        "olga@example.org",
        True,
        True,
    )
    assert client.get("/organiser/events").status_code == 302  # not logged in yet
    assert [m.to for m in mailer.sent] == ["olga@example.org"]
    assert mailer.sent[0].subject == "Confirm your address to finish signing up"

    opened = client.get(_link(mailer.sent[0]))
    still_out = client.get("/organiser/events").status_code
    confirmed = client.post(_link(mailer.sent[0]), data=CHOSEN)

    assert opened.status_code == 200
    assert "Confirm your address: choose a password" in opened.get_data(as_text=True)
    assert 'value="Olga"' in opened.get_data(as_text=True)
    assert still_out == 302  # opening the link logs nobody in
    assert confirmed.headers["Location"] == "/organiser/events/new"
    assert client.get("/organiser/events").status_code == 200
    assert session.query(User).one().name == "Olga Owner"
    assert client.get(_link(mailer.sent[0])).status_code == 410  # once


def test_a_password_chosen_by_a_stranger_at_sign_up_never_works(client, session, mailer):
    """Pre-hijack: a stranger signs up with someone else's address. The sign-up takes no
    password, so there is none to know; the owner chooses theirs when confirming."""
    stranger = client.post("/signup", data=dict(OLGA, password="stranger pw 123", confirm="x"))
    user = session.query(User).one()
    no_password = (user.password_hash, user.check_password("stranger pw 123"))
    client.post(_link(mailer.sent[0]), data=CHOSEN)
    client.post("/logout")

    by_stranger = client.post(
        "/login", data={"email": "olga@example.org", "password": "stranger pw 123"}
    )
    by_owner = client.post(
        "/login", data={"email": "olga@example.org", "password": CHOSEN["password"]}
    )

    assert stranger.status_code == 200
    assert no_password == (None, False)
    assert by_stranger.status_code == 200  # the form again: wrong password
    assert by_owner.status_code == 302


def test_a_confirmation_form_with_a_weak_or_mismatched_password_keeps_the_link_usable(
    client, session, mailer
):
    client.post("/signup", data=OLGA)
    link = _link(mailer.sent[0])

    weak = client.post(link, data=dict(CHOSEN, password="password123", confirm="password123"))
    differ = client.post(link, data=dict(CHOSEN, confirm="other words"))
    good = client.post(link, data=CHOSEN)

    assert weak.status_code == differ.status_code == 400
    assert "easy to guess" in weak.get_data(as_text=True)
    assert 'value="Olga Owner"' in weak.get_data(as_text=True)  # what they typed stays
    assert "The passwords differ." in differ.get_data(as_text=True)
    assert good.status_code == 302


def test_an_unconfirmed_account_cannot_log_in(client, session, mailer):
    client.post("/signup", data=OLGA)

    response = client.post(
        "/login", data={"email": "olga@example.org", "password": "long enough pw"}
    )

    assert response.status_code == 200  # it has no password until its owner chooses one
    assert "Email address or password is wrong." in response.get_data(as_text=True)
    assert client.get("/organiser/events").status_code == 302


def test_signup_with_a_taken_email_answers_the_same_and_mails_the_owner(client, session, mailer):
    factories.organiser(session, email="olga@example.org")

    response = client.post("/signup", data=dict(OLGA, name="Second Olga", email="OLGA@example.org"))
    fresh = client.post("/signup", data=dict(OLGA, email="new@example.org"))

    def shown(html, email):  # the form's token is signed with the second it was made in
        return re.sub(r'name="csrf_token" value="[^"]*"', "", html).replace(email, "X")

    assert response.status_code == fresh.status_code == 200
    assert shown(response.get_data(as_text=True), "OLGA@example.org") == shown(
        fresh.get_data(as_text=True), "new@example.org"
    )
    assert session.query(User).count() == 2
    owner = mailer.sent[0]
    assert (owner.to, owner.subject) == (
        "olga@example.org",
        "Someone tried to sign up with your address",
    )
    assert "http://matchmaker.test/login" in owner.body
    assert "http://matchmaker.test/password/forgot" in owner.body


def test_signup_with_bad_fields_names_each(client, session):
    response = client.post("/signup", data={"name": "", "email": "not-an-email"})
    page = response.get_data(as_text=True)

    assert "This field is required." in page
    assert "Enter an email address like ana@example.org." in page
    assert 'value="not-an-email"' in page
    assert session.query(User).count() == 0


def test_signup_with_too_long_name_is_refused(client, session):
    response = client.post(
        "/signup",
        data={
            "name": "x" * 121,
            "email": "a@example.org",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    )

    assert "Field cannot be longer than 120 characters." in response.get_data(as_text=True)
    assert session.query(User).count() == 0


def test_login_with_wrong_password_keeps_email(client, session):
    factories.organiser(session, email="olga@example.org")

    page = client.post("/login", data={"email": "olga@example.org", "password": "nope"}).get_data(
        as_text=True
    )

    assert "Email address or password is wrong." in page
    assert 'value="olga@example.org"' in page


def test_login_follows_local_next_but_not_external(client, session):
    factories.organiser(session, email="olga@example.org")
    data = {"email": "olga@example.org", "password": factories.PASSWORD}

    local = client.post("/login?next=/organiser/events/new", data=data)
    client.post("/logout")
    external = client.post("/login?next=https://evil.example/", data=data)

    assert local.headers["Location"] == "/organiser/events/new"
    assert external.headers["Location"] == "/organiser/events"


def test_logout_ends_the_session(client, session):
    factories.organiser(session, email="olga@example.org")
    factories.login(client, "olga@example.org")

    response = client.post("/logout")

    assert response.headers["Location"] == "/"
    assert client.get("/organiser/events").headers["Location"].startswith("/login?next=")


def test_logout_needs_post(client):
    assert client.get("/logout").status_code == 405


def test_forms_refuse_posts_without_csrf_token(app, session):
    factories.organiser(session, email="olga@example.org")
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()

    response = client.post(
        "/login", data={"email": "olga@example.org", "password": factories.PASSWORD}
    )

    assert response.status_code == 400
    assert "The form had expired or came from elsewhere." in response.get_data(as_text=True)
    assert client.get("/organiser/events").status_code == 302


def test_unknown_page_is_a_clean_404(client):
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)

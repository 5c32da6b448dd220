import re
from datetime import date, time

import pytest
import sqlalchemy as sa

from matchmaker.models import Profile, User
from matchmaker.services.people import attendance
from tests import factories
from tests.fakes import RecordingMailer

SIGNUP = {"name": "Ana", "email": "ana@example.org"}


@pytest.fixture
def ev(session):
    owner = factories.organiser(session)
    event = factories.event(session, owner, description="Come and meet.")
    factories.slot(session, event, start=time(10, 0), end=time(10, 20))
    factories.slot(session, event, start=time(12, 0), end=time(13, 0), format="group")
    return event


def _profile_form(ev, **changes):
    data = {
        "name": "Ana Lopes",
        "headline": "Data engineer",
        "company": "Acme",
        "bio": "I build data pipelines.",
        "interests": "Python, data engineering",
        "seeks": ["mentorship"],
        "offers": ["knowledge"],
        "looking_for": "A mentor in product.",
        "can_help": "Airflow.",
        "format": "one_to_one",
        "available_slots": [str(ev.slots[0].id)],
        "max_meetings": "3",
        "share_contact": "y",
    }
    data.update(changes)
    return data


def test_join_link_shows_event_and_signup(client, ev):
    page = client.get(f"/join/{ev.join_token}").get_data(as_text=True)

    assert "Join PyCon Test" in page
    assert "Come and meet." in page
    assert "Sign up and join" in page
    assert f"/login?next=/join/{ev.join_token}" in page


def test_signup_through_join_link_joins_and_the_mailed_link_opens_the_profile(
    app, client, session, ev
):
    app.extensions["mailer"] = mailer = RecordingMailer()

    response = client.post(f"/join/{ev.join_token}", data=SIGNUP)

    assert response.status_code == 200
    assert "finish signing up and join PyCon Test" in response.get_data(as_text=True)
    profile = session.scalars(sa.select(Profile)).one()
    assert (profile.user.email, profile.user.is_organiser, profile.event_id) == (
        "ana@example.org",
        False,
        ev.id,
    )
    link = re.search(r"http://matchmaker\.test(/confirm/\S+)", mailer.sent[0].body).group(1)
    confirmed = client.post(
        link, data={"name": "Ana", "password": "long enough pw", "confirm": "long enough pw"}
    )
    assert confirmed.headers["Location"] == f"/events/{ev.slug}/profile"
    page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "My profile for PyCon Test" in page
    assert page.count('name="available_slots"') == 2


def test_signup_through_join_link_with_taken_email_mails_the_owner(app, client, session, ev):
    factories.attendee(session, ev, email="ana@example.org")
    app.extensions["mailer"] = mailer = RecordingMailer()

    page = client.post(f"/join/{ev.join_token}", data=dict(SIGNUP, name="Ana Two")).get_data(
        as_text=True
    )

    assert "finish signing up and join PyCon Test" in page
    assert session.query(User).count() == 2
    assert [m.subject for m in mailer.sent] == ["Someone tried to sign up with your address"]
    assert "tried to sign up for PyCon Test" in mailer.sent[0].body


def test_wrong_join_link_says_so(client, ev):
    response = client.get("/join/not-a-token")

    assert response.status_code == 404
    assert "This join link is not valid." in response.get_data(as_text=True)


def test_closed_join_link_says_so(client, session, ev):
    ev.join_closes_on = date(2020, 1, 1)
    ev.starts_on = date(2020, 1, 1)
    ev.ends_on = date(2020, 1, 2)
    session.commit()

    response = client.get(f"/join/{ev.join_token}")

    assert response.status_code == 410
    assert "Signups for PyCon Test closed on 01 January 2020." in response.get_data(as_text=True)
    assert client.post(f"/join/{ev.join_token}", data=SIGNUP).status_code == 410
    assert session.query(Profile).count() == 0


def test_logged_in_user_joins_with_one_click(client, session, ev):
    profile = factories.attendee(session, ev, email="ana@example.org")
    second = factories.event(session, ev.organisers[0].user, name="Second Event")
    factories.login(client, "ana@example.org")

    page = client.get(f"/join/{second.join_token}").get_data(as_text=True)
    response = client.post(f"/join/{second.join_token}")

    assert "Join as Ana Attendee" in page
    assert response.headers["Location"] == "/events/second-event/profile"
    assert len(attendance.list_attended(session, user_id=profile.user_id)) == 2
    events_page = client.get("/events").get_data(as_text=True)
    assert "PyCon Test" in events_page and "Second Event" in events_page


def test_save_profile_from_the_form(client, session, ev):
    profile = factories.attendee(session, ev, email="ana@example.org")
    factories.login(client, "ana@example.org")

    response = client.post(f"/events/{ev.slug}/profile", data=_profile_form(ev))

    assert response.headers["Location"] == f"/events/{ev.slug}/profile"
    session.expire_all()
    assert profile.name == "Ana Lopes"
    assert [t.name for t in profile.tags] == ["data engineering", "python"]
    assert (profile.intent_names("seeks"), profile.intent_names("offers")) == (
        ["mentorship"],
        ["knowledge"],
    )
    assert profile.available_slots == [ev.slots[0]]
    assert (profile.format, profile.max_meetings, profile.share_contact) == (
        "one_to_one",
        3,
        True,
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your profile is saved." in page
    assert f'id="slot-{ev.slots[0].id}" value="{ev.slots[0].id}" checked' in page
    assert f'id="slot-{ev.slots[1].id}" value="{ev.slots[1].id}">' in page


def test_used_tags_are_suggested_as_checkboxes(client, session, ev):
    other = factories.attendee(session, ev, email="bob@example.org")
    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=other.user_id,
        data=attendance.ProfileData(name="Bob", interests=("rust", "python")),
    )
    factories.attendee(session, ev, email="ana@example.org")
    factories.login(client, "ana@example.org")

    page = client.get(f"/events/{ev.slug}/profile").get_data(as_text=True)
    client.post(
        f"/events/{ev.slug}/profile",
        data=_profile_form(ev, interests="go", suggested_interests=["rust"]),
    )

    assert 'name="suggested_interests" type="checkbox" value="python"' in page
    ana = session.scalars(
        sa.select(Profile).join(User).where(User.email == "ana@example.org")
    ).one()
    assert [t.name for t in ana.tags] == ["go", "rust"]


def test_profile_with_bad_input_keeps_everything_typed(client, session, ev):
    factories.attendee(session, ev, email="ana@example.org")
    factories.login(client, "ana@example.org")
    data = _profile_form(ev, name="", interests="python, a_b", headline="h" * 121, max_meetings="0")

    page = client.post(f"/events/{ev.slug}/profile", data=data).get_data(as_text=True)

    assert "This field is required." in page
    assert "&#39;a_b&#39; is not a tag" in page
    assert "Field cannot be longer than 120 characters." in page
    assert "Number must be between 1 and 50." in page
    assert "I build data pipelines.</textarea>" in page
    assert 'value="python, a_b"' in page
    assert f'id="slot-{ev.slots[0].id}" value="{ev.slots[0].id}" checked' in page
    profile = session.scalars(sa.select(Profile)).one()
    assert (profile.name, profile.is_complete) == ("Ana Attendee", False)


def test_profile_of_event_not_joined_is_404(client, session, ev):
    factories.attendee(session, ev, email="ana@example.org")
    other = factories.event(session, ev.organisers[0].user, name="Other")
    factories.login(client, "ana@example.org")

    assert client.get(f"/events/{other.slug}/profile").status_code == 404
    assert client.post(f"/events/{other.slug}/profile", data=_profile_form(ev)).status_code == 404


def test_attendee_edits_only_own_profile(client, session, ev):
    ana = factories.attendee(session, ev, email="ana@example.org", name="Ana")
    bob = factories.attendee(session, ev, email="bob@example.org", name="Bob")
    factories.login(client, "bob@example.org")

    page = client.get(f"/events/{ev.slug}/profile").get_data(as_text=True)
    client.post(f"/events/{ev.slug}/profile", data=_profile_form(ev, name="Bob B."))

    assert 'value="Bob"' in page and 'value="Ana"' not in page
    session.expire_all()
    assert (ana.name, bob.name) == ("Ana", "Bob B.")


def test_profile_needs_login(client, ev):
    response = client.get(f"/events/{ev.slug}/profile")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_saved_profile_gets_its_vector_outside_the_request(app, client, session, ev):
    from matchmaker import runner
    from matchmaker.models import ProfileVector

    app.config["MATCHMAKER_SEMANTIC"] = True
    profile = factories.attendee(session, ev, email="ana@example.org")
    factories.login(client, "ana@example.org")

    client.post(f"/events/{ev.slug}/profile", data=_profile_form(ev))
    runner.wait_for_threads()

    row = session.get(ProfileVector, profile.id)
    assert row is not None and len(row.vector) == 384 * 4


def test_my_events_shows_every_day_of_a_two_day_event(client, session):
    from datetime import date

    owner = factories.organiser(session)
    ev = factories.event(session, owner, starts_on=date(2030, 5, 14), ends_on=date(2030, 5, 15))
    factories.attendee(session, ev, email="ana@example.org")
    factories.login(client, "ana@example.org")

    page = client.get("/events").get_data(as_text=True)

    assert "Tue 14 May 2030 – Wed 15 May 2030" in page

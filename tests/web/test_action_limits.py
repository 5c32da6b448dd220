"""Limits on what one person can send in a short while (issue 21's probe: answering,
outcomes, renewing the calendar address, hide/show, CSV uploads and profile saves had none,
and the delete-account form checked 60 wrong passwords in 6.5 s)."""

import io

import sqlalchemy as sa

from matchmaker import throttle
from matchmaker.models import Meeting, User
from tests import factories


def _statuses(send, times: int) -> list[int]:
    return [send().status_code for _ in range(times)]


def test_the_eleventh_profile_save_in_a_minute_is_refused_and_keeps_what_was_typed(client, session):
    ev, _ = factories.matchable_event(session)
    slug = ev.slug
    factories.login(client, "person0@example.org")
    form = {"name": "Person Zero", "headline": "typed just now", "format": "any"}

    statuses = _statuses(lambda: client.post(f"/events/{slug}/profile", data=form), 11)

    page = client.post(f"/events/{slug}/profile", data=form).get_data(as_text=True)
    assert statuses == [302] * 10 + [429]
    assert throttle.TOO_MANY_SAVES in page
    assert 'value="typed just now"' in page


def test_answers_outcomes_and_other_times_past_thirty_a_minute_are_refused(client, session):
    ev, _ = factories.published_event(session, people=4, group_slots=0, rooms=0)
    meeting = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id)
    ).first()
    email = session.scalar(sa.select(User.email).where(User.id == meeting.seats[0].profile.user_id))
    path = f"/events/{ev.slug}/introductions/{meeting.id}"
    factories.login(client, email)

    answers = _statuses(lambda: client.post(f"{path}/answer", data={"accept": "Accept"}), 31)
    outcomes = _statuses(lambda: client.post(f"{path}/outcome", data={"outcome": "met"}), 31)
    suggested = _statuses(lambda: client.post(f"{path}/another-time", data={}), 31)
    kept = _statuses(lambda: client.post(f"{path}/another-time/answer", data={"keep": "1"}), 31)

    assert answers[:30] == [302] * 30 and answers[30] == 429
    assert outcomes[30] == 429 and 429 not in outcomes[:30]
    assert suggested[30] == 429 and 429 not in suggested[:30]
    assert kept[30] == 429 and 429 not in kept[:30]
    assert throttle.TOO_MANY_ACTIONS in client.post(f"{path}/answer").get_data(as_text=True)


def test_renewing_the_calendar_address_and_hide_show_are_limited(client, session):
    ev, _ = factories.published_event(session, people=4)
    factories.login(client, "person0@example.org")

    renewals = _statuses(lambda: client.post(f"/events/{ev.slug}/calendar/renew"), 6)
    toggles = _statuses(
        lambda: client.post(f"/events/{ev.slug}/visibility", data={"hidden": "0"}), 11
    )

    assert renewals == [302] * 5 + [429]
    assert toggles == [302] * 10 + [429]


def test_an_organisers_csv_uploads_past_ten_a_minute_are_refused(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    csv = "name,email\nBea Blue,bea@example.org\n"

    uploads = _statuses(
        lambda: client.post(
            f"/organiser/events/{ev.id}/import",
            data={"file": (io.BytesIO(csv.encode()), "people.csv")},
            content_type="multipart/form-data",
        ),
        11,
    )

    assert uploads == [302] * 10 + [429]


def test_wrong_passwords_on_the_delete_account_form_are_limited_like_logins(client, session):
    factories.published_event(session, people=4)
    factories.login(client, "person0@example.org")
    wrong = {"password": "not my password", "confirm": "y"}

    tries = _statuses(lambda: client.post("/account/delete", data=wrong), 6)
    right = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})

    assert tries == [400] * 5 + [429]
    assert throttle.TOO_MANY_PASSWORD_CHECKS in right.get_data(as_text=True)
    assert right.status_code == 429  # even the right one waits: guessing is what it stops
    assert session.scalar(sa.select(User).where(User.email == "person0@example.org"))

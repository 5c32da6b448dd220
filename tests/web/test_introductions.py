"""The attendee's pages: introductions with private answers, one meeting with how it went,
the schedule, connections and their data; the organiser's response figures. Nobody reads
another attendee's answers, ratings, notes or hidden contact details through any page,
download or feed."""

import json
import re
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from matchmaker.attendee import introductions as introductions_view
from matchmaker.models import MeetingSeat, Profile, User
from matchmaker.services.people import attendance
from tests import factories
from tests.services.test_introductions import DURING, _by_id, _event, _plan


def _as(app, profile_or_email):
    client = app.test_client()
    email = getattr(getattr(profile_or_email, "user", None), "email", profile_or_email)
    factories.login(client, email)
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _answer(client, ev, meeting_id, button):
    return client.post(
        f"/events/{ev.slug}/introductions/{meeting_id}/answer", data={button: button.title()}
    )


@pytest.fixture
def four(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)), (second, (c, d)) = _plan(session, ev)
    people = _by_id(profiles)
    return ev, first, second, people[a], people[b], people[c], people[d]


def test_the_introductions_page_shows_who_when_where_why_and_the_answer_buttons(app, four):
    ev, first, _, a, b, _, _ = four

    html = _page(_as(app, a), f"/events/{ev.slug}/introductions")

    assert f"With {b.name}" in html and b.headline in html
    assert "Why you should meet" in html and "How to start" in html
    assert "Tue 14 May, 09:00–09:20" in html and "Europe/Berlin" in html
    assert f'action="/events/{ev.slug}/introductions/{first}/answer"' in html
    assert ">Accept</button>" in html and ">Decline</button>" in html


def test_declining_tells_the_other_only_that_the_meeting_will_not_take_place(app, session, four):
    ev, first, _, a, b, _, _ = four
    client_a, client_b = _as(app, a), _as(app, b)

    answered = _answer(client_a, ev, first, "decline")

    assert answered.status_code == 302
    assert "You declined this introduction" in _page(client_a, f"/events/{ev.slug}/introductions")
    for url in (
        f"/events/{ev.slug}/introductions",
        f"/events/{ev.slug}/introductions/{first}",
        f"/events/{ev.slug}/schedule",
        "/account/data.json",
    ):
        assert "declined" not in client_b.get(url).get_data(as_text=True).lower(), url
    assert "This meeting will not take place" in _page(client_b, f"/events/{ev.slug}/introductions")
    feed = client_b.get(f"/events/{ev.slug}/calendar.ics").get_data()
    [event] = Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and b"declin" not in feed.lower()


def test_both_accepting_confirms_the_meeting_and_one_acceptance_stays_private(app, four):
    ev, _, second, _, _, c, d = four
    client_c, client_d = _as(app, c), _as(app, d)

    _answer(client_c, ev, second, "accept")

    assert "You accepted: it is confirmed once both of you have" in _page(
        client_c, f"/events/{ev.slug}/introductions"
    )
    waiting = _page(client_d, f"/events/{ev.slug}/introductions")
    assert "Proposed: accept or decline" in waiting and "accepted" not in waiting.lower()
    _answer(client_d, ev, second, "accept")
    assert "Confirmed" in _page(client_c, f"/events/{ev.slug}/schedule")


def test_ratings_and_notes_are_the_attendees_alone(app, session, four, monkeypatch):
    ev, first, _, a, b, c, _ = four
    monkeypatch.setattr(introductions_view, "_now", lambda: DURING)
    client_a = _as(app, a)

    saved = client_a.post(
        f"/events/{ev.slug}/introductions/{first}/outcome",
        data={"outcome": "met", "rating": "5", "note": "Follow up on the pipeline talk"},
    )

    assert saved.status_code == 302
    seat = session.get(MeetingSeat, (first, a.id))
    session.refresh(seat)
    assert (seat.outcome, seat.rating, seat.note) == ("met", 5, "Follow up on the pipeline talk")
    mine = _page(client_a, f"/events/{ev.slug}/introductions/{first}")
    assert "Follow up on the pipeline talk" in mine
    client_b = _as(app, b)
    for url in (f"/events/{ev.slug}/introductions/{first}", "/account/data.json", "/connections"):
        text = client_b.get(url).get_data(as_text=True)
        assert "pipeline talk" not in text and "rated it" not in text, url
        assert not re.search(r'value="5"[^>]*checked', text), url
    refused = _as(app, c).post(
        f"/events/{ev.slug}/introductions/{first}/outcome", data={"note": "snooping"}
    )
    assert refused.status_code == 404
    assert session.get(MeetingSeat, (first, a.id)).note == "Follow up on the pipeline talk"


@pytest.mark.parametrize("answer", ["", "no_show"])
def test_a_page_a_sees_is_the_same_whatever_b_answered_short_of_we_met(
    app, session, four, monkeypatch, answer
):
    ev, first, _, a, b, _, _ = four
    monkeypatch.setattr(introductions_view, "_now", lambda: DURING)
    _as(app, a).post(f"/events/{ev.slug}/introductions/{first}/outcome", data={"outcome": "met"})
    pages = ["/connections", f"/events/{ev.slug}/introductions", f"/events/{ev.slug}/schedule"]
    before = [_page(_as(app, a), page) for page in pages]

    if answer:
        _as(app, b).post(
            f"/events/{ev.slug}/introductions/{first}/outcome", data={"outcome": answer}
        )

    strip = lambda html: re.sub(r'name="csrf_token" value="[^"]*"', "", html)  # noqa: E731
    assert [strip(_page(_as(app, a), page)) for page in pages] == [strip(p) for p in before]
    assert b.name not in before[0]


def test_a_wrong_outcome_keeps_what_was_typed_and_names_the_field(app, four):
    ev, first, _, a, _, _, _ = four

    response = _as(app, a).post(
        f"/events/{ev.slug}/introductions/{first}/outcome",
        data={"outcome": "met", "note": "keep me"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You can say how it went once the meeting has begun." in html
    assert "keep me</textarea>" in html


def test_contact_details_show_in_connections_only_when_both_shared(app, session, four, monkeypatch):
    ev, first, second, a, b, c, d = four
    monkeypatch.setattr(introductions_view, "_now", lambda: DURING)
    for p, share in ((a, True), (b, True), (c, True), (d, False)):
        attendance.save_profile(
            session,
            slug=ev.slug,
            user_id=p.user_id,
            data=attendance.ProfileData(
                name=p.name,
                share_contact=share,
                links=(f"https://{p.id}.example.org",),
                available_slot_ids=tuple(s.id for s in ev.slots),
            ),
        )
    for p, meeting in ((a, first), (b, first), (c, second), (d, second)):
        _as(app, p).post(
            f"/events/{ev.slug}/introductions/{meeting}/outcome", data={"outcome": "met"}
        )

    for_a = _page(_as(app, a), "/connections")
    for_c = _page(_as(app, c), "/connections")
    vcard = _as(app, c).get("/connections.vcf").get_data(as_text=True)

    assert b.user.email in for_a and f"https://{b.id}.example.org" in for_a
    assert d.name in for_c and d.user.email not in for_c and f"{d.id}.example.org" not in for_c
    assert "Contact details not shared." in for_c
    assert d.user.email not in vcard and f"FN:{d.name}" in vcard


def test_the_schedule_lists_meetings_by_time_with_downloads_and_prints(app, session):
    ev, profiles = _event(session, people=4, tables=2, slots=2)
    client = _as(app, profiles[0])

    html = _page(client, f"/events/{ev.slug}/schedule")

    times = re.findall(r"Tue 14 May, (\d\d:\d\d)–", html)
    assert times == sorted(times) and len(times) == 2
    assert f"/events/{ev.slug}/schedule.pdf" in html and f"/events/{ev.slug}/calendar.ics" in html
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "@media print" in css and "table.schedule tr { break-inside: avoid; }" in css


def test_an_attendee_hides_from_introductions_downloads_and_deletes_their_data(app, session, four):
    ev, first, _, a, b, _, _ = four
    client = _as(app, a)
    user_id, profile_id = a.user_id, a.id

    hidden = client.post(f"/events/{ev.slug}/visibility", data={"hidden": "1"})
    assert hidden.status_code == 302
    assert session.get(Profile, profile_id).hidden is True
    downloaded = client.get("/account/data.json")
    assert downloaded.headers["Cache-Control"] == "no-store"
    data = json.loads(downloaded.get_data())
    assert data["events"][0]["profile"]["hidden_from_introductions"] is True

    wrong = client.post("/account/delete", data={"password": "nope", "confirm": "y"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.get_data(as_text=True)
    gone = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})

    assert gone.status_code == 302
    session.expire_all()
    assert session.get(User, user_id) is None
    assert client.get("/account/data").status_code == 302  # logged out
    assert "This meeting will not take place" in _page(
        _as(app, b), f"/events/{ev.slug}/introductions"
    )


def test_organisers_see_response_counts_and_set_the_deadline(app, session, four):
    ev, first, _, a, _, _, _ = four
    _answer(_as(app, a), ev, first, "decline")
    client = _as(app, "org@example.org")

    html = _page(client, f"/organiser/events/{ev.id}/responses")
    saved = client.post(
        f"/organiser/events/{ev.id}/responses",
        data={"deadline": "2030-05-10T18:00", "after_deadline": "drop"},
    )

    assert re.search(r"Declined answers</dt><dd>1<", html)
    assert re.search(r"Awaiting an answer</dt><dd>3<", html)
    assert a.name not in html  # counts only, never who
    assert saved.status_code == 302
    session.expire_all()
    event = session.get(type(ev), ev.id)
    assert (event.response_deadline, event.after_deadline) == (datetime(2030, 5, 10, 18, 0), "drop")


def test_a_bad_link_in_the_profile_is_named_and_the_form_keeps_what_was_typed(app, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    profile = factories.attendee(session, ev)
    client = _as(app, profile)

    response = client.post(
        f"/events/{ev.slug}/profile",
        data={"name": "Ana", "format": "any", "links": "https://ok.example.org\nnot a link"},
    )

    html = response.get_data(as_text=True)
    assert "Line 2: “not a link” is not a web address" in html
    assert "https://ok.example.org\nnot a link</textarea>" in html


def test_the_organisers_published_plan_page_shows_no_attendees_private_notes(
    app, session, four, monkeypatch
):
    ev, first, _, a, _, _, _ = four
    monkeypatch.setattr(introductions_view, "_now", lambda: DURING)
    _as(app, a).post(
        f"/events/{ev.slug}/introductions/{first}/outcome",
        data={"outcome": "met", "rating": "2", "note": "private words"},
    )
    client = _as(app, "org@example.org")

    for url in (
        f"/organiser/events/{ev.id}/runs/{ev.published_run_id}",
        f"/organiser/events/{ev.id}/meetings/{first}",
        f"/organiser/events/{ev.id}/export.csv",
    ):
        assert "private words" not in client.get(url).get_data(as_text=True), url
    _ = datetime.now(UTC)


def test_a_page_that_only_reads_settles_the_answers_at_the_deadline_in_its_own_transaction(
    app, session, four, monkeypatch
):
    from matchmaker.models import Event, Meeting
    from matchmaker.services.introductions import deadline

    ev, first, second, a, b, c, d = four
    deadline.set_response_deadline(
        session,
        event=ev,
        deadline=datetime(2030, 5, 10, 18, 0),
        after_deadline="drop",
    )
    client = _as(app, a)
    _answer(client, ev, first, "accept")
    monkeypatch.setattr(introductions_view, "_now", lambda: DURING)

    html = _page(client, f"/events/{ev.slug}/schedule")  # the schedule reads without a transaction

    session.expire_all()
    assert session.get(Event, ev.id).responses_settled_at is not None
    responses = {(s.meeting_id, s.profile_id): s.response for s in session.query(MeetingSeat).all()}
    assert responses[(first, a.id)] == "accepted" and responses[(first, b.id)] == "dropped"
    assert {responses[(second, c.id)], responses[(second, d.id)]} == {"dropped"}
    assert session.get(Meeting, first).cancelled_at is not None
    assert "Tue 14 May, 09:00" not in html  # a dropped meeting no longer takes place


def test_an_introduction_is_written_to_its_reader(client, session):
    ev, profiles = factories.published_event(session, people=4, group_slots=0, rooms=0)
    factories.login(client, "person0@example.org")

    page = client.get(f"/events/{ev.slug}/introductions").get_data(as_text=True)

    reasons = re.findall(r'<ul class="reasons">(.*?)</ul>', page, re.S)
    starters = re.findall(r'<ul class="starters">(.*?)</ul>', page, re.S)
    assert reasons and starters
    assert all("Person 0" not in block for block in reasons + starters)
    assert any("<li>Ask Person " in block for block in starters)

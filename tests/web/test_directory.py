"""The directory and requests to meet, through the pages: only listed people, a request in a
few clicks, declines that read exactly like "no common slot", and a limit on the form."""

import re

import sqlalchemy as sa

from matchmaker.models import Meeting, MeetingRequest, MeetingSeat
from matchmaker.services.setup import timetable
from tests import factories


def _event(session):
    ev, profiles = factories.published_event(
        session, people=8, one_to_one_slots=3, tables=2, group_slots=0
    )
    timetable.add_locations(session, event=ev, name="Extra", capacity=2, count=2)
    for p in profiles[:7]:
        p.listed = True
    profiles[2].company = "Acme Robotics"
    session.commit()
    return ev, profiles


def _met(session, a, b) -> bool:
    mine, theirs = sa.orm.aliased(MeetingSeat), sa.orm.aliased(MeetingSeat)
    found = session.scalar(
        sa.select(sa.func.count())
        .select_from(mine)
        .join(theirs, theirs.meeting_id == mine.meeting_id)
        .where(mine.profile_id == a.id, theirs.profile_id == b.id)
    )
    return bool(found)


def _requests_section(page: str) -> str:
    return re.search(r'<section aria-labelledby="requests">(.*?)</section>', page, re.S).group(1)


def test_the_directory_shows_listed_people_and_searches(client, session):
    ev, profiles = _event(session)
    factories.login(client, "person0@example.org")

    page = client.get(f"/events/{ev.slug}/people").get_data(as_text=True)
    search = client.get(f"/events/{ev.slug}/people?q=acme").get_data(as_text=True)

    assert all(f"<h2>Person {k}" in page for k in range(1, 7))
    assert "Person 7" not in page  # not listed
    assert "<h2>Person 0" not in page  # the reader
    assert "Good match" in page and "You can ask 5 more people to meet (of 5)" in page
    assert re.findall(r"<h2>(Person \d)", search) == ["Person 2"]
    assert 'aria-current="page">People</a>' in page


def test_ask_accept_and_the_asker_sees_it_in_their_requests(client, session):
    ev, profiles = _event(session)
    asker = profiles[0]
    asked = next(p for p in profiles[1:7] if not _met(session, asker, p))
    factories.login(client, "person0@example.org")

    form = client.get(f"/events/{ev.slug}/people/{asked.id}/ask").get_data(as_text=True)
    sent = client.post(f"/events/{ev.slug}/people/{asked.id}/ask", data={"note": "Hello!"})
    page = client.get(f"/events/{ev.slug}/people").get_data(as_text=True)

    assert f"<h1>Ask {asked.name} to meet</h1>" in form
    assert sent.status_code == 302
    assert f"You asked {asked.name} to meet" in page
    assert f"<strong>{asked.name}</strong>: Waiting for an answer" in _requests_section(page)
    meeting_id = session.scalar(sa.select(MeetingRequest.meeting_id))
    client.post("/logout")
    factories.login(client, asked.user.email)
    theirs = client.get(f"/events/{ev.slug}/introductions").get_data(as_text=True)
    assert f"{asker.name} asked to meet you: “Hello!”" in theirs
    client.post(f"/events/{ev.slug}/introductions/{meeting_id}/answer", data={"accept": "Accept"})
    client.post("/logout")
    factories.login(client, "person0@example.org")
    page = client.get(f"/events/{ev.slug}/people").get_data(as_text=True)
    assert f"<strong>{asked.name}</strong>: Accepted: it is in your schedule" in page


def test_a_decline_and_no_common_slot_read_the_same_to_the_asker(client, session):
    ev, profiles = _event(session)
    asker = profiles[0]
    strangers = [p for p in profiles[1:7] if not _met(session, asker, p)]
    declines, full = strangers[0], strangers[1]
    full.max_meetings = 1  # at the cap: no slot
    full.name = declines.name  # so that the two lines can be compared word for word
    session.commit()
    factories.login(client, "person0@example.org")

    client.post(f"/events/{ev.slug}/people/{declines.id}/ask", data={"note": ""})
    meeting_id = session.scalar(
        sa.select(MeetingRequest.meeting_id).where(MeetingRequest.asked_id == declines.id)
    )
    client.post("/logout")
    factories.login(client, declines.user.email)
    client.post(f"/events/{ev.slug}/introductions/{meeting_id}/answer", data={"decline": "Decline"})
    client.post("/logout")
    factories.login(client, "person0@example.org")
    client.post(f"/events/{ev.slug}/people/{full.id}/ask", data={"note": ""})

    lines = re.findall(r"<li>(.*?)</li>", _requests_section(
        client.get(f"/events/{ev.slug}/people").get_data(as_text=True)), re.S)  # fmt: skip
    assert lines == [f"<strong>{declines.name}</strong>: Not possible this time"] * 2
    assert session.get(Meeting, meeting_id).cancelled_at is not None


def test_a_long_note_comes_back_with_what_was_typed(client, session):
    ev, profiles = _event(session)
    factories.login(client, "person0@example.org")

    sent = client.post(f"/events/{ev.slug}/people/{profiles[1].id}/ask", data={"note": "x" * 301})

    assert sent.status_code == 400
    page = sent.get_data(as_text=True)
    assert "Keep the note to 300 characters." in page and "x" * 301 in page
    assert session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 0


def test_the_eleventh_request_in_a_minute_is_refused(client, session):
    ev, profiles = _event(session)
    factories.login(client, "person0@example.org")

    statuses = [
        client.post(f"/events/{ev.slug}/people/{profiles[1].id}/ask", data={"note": ""}).status_code
        for _ in range(11)
    ]

    assert statuses == [302] * 10 + [429]  # the second on are "asked already", the 11th waits


def test_a_groups_only_reader_sees_why_and_no_ask_buttons(client, session):
    ev, profiles = _event(session)
    profiles[0].format = "group"
    session.commit()
    factories.login(client, "person0@example.org")

    page = client.get(f"/events/{ev.slug}/people").get_data(as_text=True)

    assert "Your profile says small groups only" in page
    assert "Ask to meet" not in page

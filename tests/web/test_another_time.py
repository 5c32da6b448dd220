"""Another time on the meeting page: the link, the times both are free, the suggestion the
other confirms, a form that names the field, and nobody else's meeting."""

import re

from matchmaker.models import Meeting
from tests import factories
from tests.services.test_another_time import _event, _first_meeting, _people


def _as(app, profile):
    client = app.test_client()
    factories.login(client, profile.user.email)
    return client


def test_suggest_another_time_and_the_other_confirms_it(app, session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    page = f"/events/{ev.slug}/introductions/{meeting.id}"
    asker, other = _as(app, a), _as(app, b)

    html = asker.get(page).get_data(as_text=True)
    assert f'href="{page}/another-time">Suggest another time</a>' in html
    form = asker.get(f"{page}/another-time").get_data(as_text=True)
    times = re.findall(r'name="slot_id"[^>]*value="(\d+)"', form)
    assert times and str(meeting.slot_id) not in times

    empty = asker.post(f"{page}/another-time", data={})
    assert empty.status_code == 400
    assert "Choose one of the times." in empty.get_data(as_text=True)

    sent = asker.post(f"{page}/another-time", data={"slot_id": times[0]})
    assert sent.status_code == 302 and sent.headers["Location"] == page
    mine = asker.get(page).get_data(as_text=True)
    assert "You suggested" in mine and "Withdraw my suggestion" in mine
    theirs = other.get(page).get_data(as_text=True)
    assert f"{a.name} suggests" in theirs and "Confirm the new time" in theirs

    done = other.post(
        f"{page}/another-time/answer", data={"confirm": "Confirm"}, follow_redirects=True
    )
    assert "Confirmed: the meeting moved" in done.get_data(as_text=True)
    session.expire_all()
    assert session.get(Meeting, meeting.id).slot_id == int(times[0])
    assert "Suggest another time" in asker.get(page).get_data(as_text=True)


def test_nobody_else_reaches_the_other_times_of_a_meeting(app, session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    stranger = next(p for p in profiles if p.id not in (a.id, b.id))
    page = f"/events/{ev.slug}/introductions/{meeting.id}"
    client = _as(app, stranger)

    assert client.get(f"{page}/another-time").status_code == 404
    assert client.post(f"{page}/another-time", data={"slot_id": "1"}).status_code == 404
    assert client.post(f"{page}/another-time/answer", data={"keep": "1"}).status_code == 404

"""The timetable pages once a schedule is published: an edit that touches published meetings
shows them and asks for a yes before anything changes."""

import sqlalchemy as sa

from matchmaker.models import Meeting
from tests import factories


def test_deleting_a_slot_with_published_meetings_asks_first(client, session):
    ev, _ = factories.published_event(session, people=4, tables=4, group_slots=0, rooms=0)
    slot = ev.slots[0]
    meetings = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id, Meeting.slot_id == slot.id)
    ).all()
    names = [", ".join(s.profile.name for s in m.seats) for m in meetings]
    factories.login(client, "org@example.org")
    url = f"/organiser/events/{ev.id}/slots/{slot.id}/delete"

    asked = client.post(url)

    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Delete this slot?" in page
    assert f"{len(meetings)} meetings will be cancelled" in page
    assert all(f"<strong>{n}</strong>" in page for n in names)
    assert '<input type="hidden" name="confirm" value="yes">' in page
    session.expire_all()
    assert all(m.cancelled_at is None for m in session.scalars(sa.select(Meeting)))

    done = client.post(url, data={"confirm": "yes"})

    assert done.status_code == 302
    session.expire_all()
    assert all(session.get(Meeting, m.id).cancelled_at is not None for m in meetings)
    assert client.get(f"/organiser/events/{ev.id}/slots/{slot.id}/edit").status_code == 404


def test_moving_a_slot_keeps_the_typed_times_through_the_confirmation(client, session):
    ev, _ = factories.published_event(session, people=4, tables=4, group_slots=0, rooms=0)
    slot = ev.slots[0]
    factories.login(client, "org@example.org")
    url = f"/organiser/events/{ev.id}/slots/{slot.id}/edit"
    form = {
        "day": slot.starts_at.date().isoformat(),
        "start": "15:00",
        "end": "15:20",
        "format": "one_to_one",
        "label": "",
    }

    asked = client.post(url, data=form).get_data(as_text=True)

    assert "Change this slot?" in asked and "will change" in asked
    assert '<input type="hidden" name="start" value="15:00">' in asked
    assert client.post(url, data={**form, "confirm": "yes"}).status_code == 302
    session.expire_all()
    assert session.get(type(slot), slot.id).starts_at.hour == 15


def test_a_slot_change_that_is_invalid_says_so_before_asking_to_confirm(client, session):
    ev, _ = factories.published_event(session, people=4, tables=4, group_slots=0, rooms=0)
    slot = ev.slots[0]
    factories.login(client, "org@example.org")
    form = {
        "day": slot.starts_at.date().isoformat(),
        "start": "15:00",
        "end": "14:00",
        "format": "one_to_one",
        "label": "",
    }

    page = client.post(f"/organiser/events/{ev.id}/slots/{slot.id}/edit", data=form)

    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Change this slot?" not in text
    assert 'value="15:00"' in text and 'class="error"' in text

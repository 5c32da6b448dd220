"""The organisers' messages page: a message to everyone is previewed before it goes, an
empty one names the field and keeps what was typed, and it goes by the outbox."""

import re

import sqlalchemy as sa

from matchmaker.models import OutgoingMail
from tests import factories


def test_preview_then_send_to_everyone(client, session):
    ev, _ = factories.matchable_event(session, people=3)
    factories.login(client, "org@example.org")
    url = f"/organiser/events/{ev.id}/messages"
    typed = {"subject": "Lunch moved", "body": "Lunch is at 13:00 in Hall 2."}

    empty = client.post(url, data={"subject": "", "body": "kept", "preview": "Preview"})
    preview = client.post(url, data={**typed, "preview": "Preview"})
    assert session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0
    sent = client.post(url, data={**typed, "send": "Send"}, follow_redirects=True)

    assert empty.status_code == 400 and "Give the message a subject." in empty.get_data(
        as_text=True
    )
    assert re.search(r">\s*kept</textarea>", empty.get_data(as_text=True))
    html = preview.get_data(as_text=True)
    assert "Preview: as attendees will read it" in html and "PyCon Test: Lunch moved" in html
    assert "Send to 3 attendees</button>" in html
    assert "Your message is on its way to 3 attendees." in sent.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 3
    assert "Lunch moved" in client.get(url).get_data(as_text=True)  # on record

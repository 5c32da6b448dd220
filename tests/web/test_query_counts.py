"""Pages that list people or meetings read them in a fixed number of queries: the same with 6
attendees as with 30 (no query per row)."""

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import MeetingSeat
from matchmaker.services.schedules import published
from tests import factories

ATTENDEE_PAGES = {
    "/events": 3,
    "/events/{slug}/introductions": 2,
    # the meeting, and the suggestion of another time waiting for an answer
    "/events/{slug}/introductions/{meeting}": 3,
    "/events/{slug}/schedule": 2,
    "/calendar/{token}.ics": 2,
    "/connections": 10,  # with the next steps
}
ORGANISER_PAGES = {
    "/organiser/events": 2,
    # With the late joiners once published, and where things stand (the newest runs, the answers).
    "/organiser/events/{event}": 14,
    "/organiser/events/{event}/timetable": 4,
    "/organiser/events/{event}/attendees": 6,
    "/organiser/events/{event}/runs": 4,
    "/organiser/events/{event}/runs/{run}": 16,  # the figures (kept) read 2 more for sharing
    "/organiser/events/{event}/responses": 4,
}
# Seen again with nothing changed, the dashboards read only what is not kept between requests
# (services/core/revisions.py): the user and the event with its revision (on the overview also
# where things stand); on the review also the run
# and, on plans this small, its meetings with their people, slots and tables.
ORGANISER_PAGES_AGAIN = {
    "/organiser/events/{event}": 4,  # and where things stand, which is never kept
    "/organiser/events/{event}/runs/{run}": 10,
}


def _queries(client, path: str) -> int:
    count = [0]

    def counted(*_args):
        count[0] += 1

    sa.event.listen(db.engine, "before_cursor_execute", counted)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counted)
    assert response.status_code == 200, path
    return count[0]


@pytest.mark.parametrize("people", [6, 30])
def test_list_pages_read_in_a_fixed_number_of_queries(client, session, people):
    ev, profiles = factories.published_event(session, people=people, tables=people // 2)
    meeting = session.scalar(
        sa.select(MeetingSeat.meeting_id).where(MeetingSeat.profile_id == profiles[0].id)
    )
    token = published.calendar_token(session, slug=ev.slug, user_id=profiles[0].user_id)
    names = dict(slug=ev.slug, meeting=meeting, token=token, event=ev.id, run=ev.published_run_id)

    factories.login(client, "person0@example.org")
    attendee = {p: _queries(client, p.format(**names)) for p in ATTENDEE_PAGES}
    client.post("/logout")
    factories.login(client, "org@example.org")
    organiser = {p: _queries(client, p.format(**names)) for p in ORGANISER_PAGES}
    again = {p: _queries(client, p.format(**names)) for p in ORGANISER_PAGES_AGAIN}

    assert attendee == ATTENDEE_PAGES
    assert organiser == ORGANISER_PAGES
    assert again == ORGANISER_PAGES_AGAIN

"""The load test's reference page: an attendee's schedule from one hand-written SQL query and
a Jinja template, with no session, no ORM and no login: the practical ceiling of a page on
this machine (../shared/WEB-NOTES.md). Registered only in `bench.loadtest_app`."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app

from matchmaker.extensions import db

bp = Blueprint("reference", __name__)

SCHEDULE = sa.text(
    """
    SELECT s.starts_at, s.ends_at, l.name AS location, m.kind, m.topic, mine.response,
           string_agg(p.name, ', ' ORDER BY other.position) AS people
    FROM meeting_seats mine
    JOIN meetings m ON m.id = mine.meeting_id AND m.cancelled_at IS NULL
    JOIN events e ON e.published_run_id = m.run_id
    JOIN slots s ON s.id = m.slot_id
    JOIN locations l ON l.id = m.location_id
    JOIN meeting_seats other ON other.meeting_id = m.id AND other.profile_id <> mine.profile_id
    JOIN profiles p ON p.id = other.profile_id
    WHERE mine.profile_id = :profile_id
    GROUP BY m.id, s.starts_at, s.ends_at, l.name, m.kind, m.topic, mine.response
    ORDER BY s.starts_at, m.id
    """
)

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Schedule</title></head>
<body><h1>My schedule</h1><table><thead><tr><th>When</th><th>Where</th><th>Who</th>
<th>Status</th></tr></thead><tbody>{% for row in rows %}<tr>
<td>{{ row.starts_at.strftime('%a %d %b, %H:%M') }}–{{ row.ends_at.strftime('%H:%M') }}</td>
<td>{{ row.location }}</td><td>{{ row.kind }} {{ row.topic }}: {{ row.people }}</td>
<td>{{ row.response }}</td></tr>{% endfor %}</tbody></table></body></html>"""


@bp.get("/_reference/schedule/<int:profile_id>")
def schedule(profile_id: int):
    with db.engine.connect() as connection:
        rows = connection.execute(SCHEDULE, {"profile_id": profile_id}).all()
        connection.commit()
    if not rows:
        abort(404)
    if not hasattr(current_app, "reference_page"):
        current_app.reference_page = current_app.jinja_env.from_string(PAGE)
    return current_app.reference_page.render(rows=rows)

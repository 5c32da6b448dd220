"""The published schedule: its meetings, each with its state and its answers counted, and the
event's answers counted. Never a private note, a rating, or who declined."""

from datetime import UTC, datetime

from flask import g

from matchmaker.api.common import api_blueprint, meetings_of
from matchmaker.api.schemas import AnswersSchema, MeetingSchema
from matchmaker.extensions import db
from matchmaker.services.errors import NotFound
from matchmaker.services.introductions import deadline, meeting_list

blp = api_blueprint("meetings", "The published schedule and how attendees answer it.")


@blp.get("/events/<int:event_id>/meetings")
@blp.etag
@blp.response(200, MeetingSchema(many=True))
@blp.paginate()
def meetings(event_id: int, pagination_parameters):
    """The published schedule's meetings by time (404 before anything is published)."""
    return meetings_of(None, pagination_parameters)


@blp.get("/events/<int:event_id>/meetings/<int:meeting_id>")
@blp.etag
@blp.response(200, MeetingSchema)
def meeting(event_id: int, meeting_id: int):
    """One meeting of the published schedule."""
    return meeting_list.published_meeting(db.session, event=g.event, meeting_id=meeting_id)


@blp.get("/events/<int:event_id>/answers")
@blp.etag
@blp.response(200, AnswersSchema)
def answers(event_id: int):
    """How attendees answered the published one-to-one introductions, counted (404 before
    anything is published)."""
    figures = deadline.response_figures(db.session, event=g.event, now=datetime.now(UTC))
    if figures is None:
        raise NotFound(meeting_list.NOTHING_PUBLISHED)
    return figures

"""Events, their time slots and their locations: what the token's organiser organises."""

from flask import g
from flask_smorest import Page

from matchmaker.api.common import api_blueprint
from matchmaker.api.schemas import EventSchema, LocationSchema, SlotSchema
from matchmaker.extensions import db
from matchmaker.services.setup import events as event_service

blp = api_blueprint("events", "Events the token's organiser organises, with their timetable.")


@blp.get("/events")
@blp.etag
@blp.response(200, EventSchema(many=True))
@blp.paginate(Page)
def events():
    """The organiser's events, soonest first."""
    return event_service.list_organised_events(db.session, actor_id=g.api_token.user_id)


@blp.get("/events/<int:event_id>")
@blp.etag
@blp.response(200, EventSchema)
def event(event_id: int):
    """One event."""
    return g.event


@blp.get("/events/<int:event_id>/slots")
@blp.etag
@blp.response(200, SlotSchema(many=True))
@blp.paginate(Page)
def slots(event_id: int):
    """The event's time slots, in time order (times carry the event's UTC offset)."""
    return g.event.slots


@blp.get("/events/<int:event_id>/locations")
@blp.etag
@blp.response(200, LocationSchema(many=True))
@blp.paginate(Page)
def locations(event_id: int):
    """The event's tables (for two) and rooms (for groups), by name."""
    return g.event.locations

"""Attendees (who is at the event) and their profiles (what they wrote): read, and invited or
updated by email as a line of an imported list would be."""

from datetime import UTC, datetime

from flask import g

from matchmaker.api.common import api_blueprint
from matchmaker.api.schemas import (
    AttendeeInSchema,
    AttendeeQuerySchema,
    AttendeeResultSchema,
    AttendeeSchema,
    ProfileSchema,
)
from matchmaker.extensions import db
from matchmaker.mailer import current_mailer
from matchmaker.services.introductions import roster
from matchmaker.services.setup import imports
from matchmaker.web import claim_link, external_url, invitation_limits

blp = api_blueprint("attendees", "The event's attendees and their profiles.")

ACTIONS = {imports.Action.CREATE: "invited", imports.Action.UPDATE: "updated",
           imports.Action.KEEP: "kept"}  # fmt: skip


def _roster(args: dict, pagination_parameters) -> roster.Roster:
    return roster.roster(
        db.session,
        event=g.event,
        page=pagination_parameters.page,
        per_page=pagination_parameters.page_size,
        query=args["q"],
        show=args["show"],
        clamp=False,
    )


@blp.get("/events/<int:event_id>/attendees")
@blp.etag
@blp.arguments(AttendeeQuerySchema, location="query")
@blp.response(200, AttendeeSchema(many=True))
@blp.paginate()
def attendees(args: dict, event_id: int, pagination_parameters):
    """The event's attendees by name, searched and filtered as on the attendees page."""
    found = _roster(args, pagination_parameters)
    pagination_parameters.item_count = found.matching
    return found.rows


@blp.post("/events/<int:event_id>/attendees")
@blp.arguments(AttendeeInSchema)
@blp.response(201, AttendeeResultSchema, description="Invited: new to the event.")
@blp.alt_response(200, schema=AttendeeResultSchema, description="At the event already.")
def put_attendee(person: dict, event_id: int):
    """Invite someone by email, or update them while they have not filled their profile in:
    as a line of an imported list (the same invitation, counted in the same daily limit)."""
    event = g.event
    done = imports.import_one(
        db.session,
        event=event,
        actor_id=g.api_token.user_id,
        person=person,
        source="API",
        now=datetime.now(UTC),
        mailer=current_mailer(),
        claim_link=claim_link,
        join_link=external_url("attendee.join", token=event.join_token),
        limits=invitation_limits(),
    )
    result = {"email": done.email, "action": ACTIONS[done.action], "attendee_id": done.profile_id}
    return result, 201 if done.action == imports.Action.CREATE else 200


@blp.get("/events/<int:event_id>/attendees/<int:attendee_id>")
@blp.etag
@blp.response(200, AttendeeSchema)
def attendee(event_id: int, attendee_id: int):
    """One attendee."""
    return roster.roster_row(db.session, event=g.event, profile_id=attendee_id)


@blp.get("/events/<int:event_id>/profiles")
@blp.etag
@blp.arguments(AttendeeQuerySchema, location="query")
@blp.response(200, ProfileSchema(many=True))
@blp.paginate()
def profiles(args: dict, event_id: int, pagination_parameters):
    """The attendees' profiles by name, searched and filtered as the attendees are."""
    found = _roster(args, pagination_parameters)
    pagination_parameters.item_count = found.matching
    return roster.with_details(db.session, [row.profile for row in found.rows])


@blp.get("/events/<int:event_id>/profiles/<int:attendee_id>")
@blp.etag
@blp.response(200, ProfileSchema)
def profile(event_id: int, attendee_id: int):
    """One attendee's profile."""
    row = roster.roster_row(db.session, event=g.event, profile_id=attendee_id)
    return roster.with_details(db.session, [row.profile])[0]

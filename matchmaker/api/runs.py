"""Matching runs: start one, follow its progress, read its plan, publish it."""

from flask import g, url_for
from flask_smorest import Page

from matchmaker.api.common import api_blueprint, meetings_of
from matchmaker.api.schemas import MeetingSchema, RunSchema
from matchmaker.extensions import db
from matchmaker.organiser.runs import begin_run, fail_stale, publish
from matchmaker.services.planning import matching

blp = api_blueprint("runs", "Matching runs and their plans; publishing one.")


@blp.get("/events/<int:event_id>/runs")
@blp.etag
@blp.response(200, RunSchema(many=True))
@blp.paginate(Page)
def runs(event_id: int):
    """The event's runs, newest first."""
    fail_stale(event_id)
    return matching.list_runs(db.session, event=g.event)


@blp.post("/events/<int:event_id>/runs")
@blp.response(202, RunSchema, description="Queued: follow it at the address in Location.")
def start_run(event_id: int):
    """Start matching the event's attendees (409 while a run is queued or running; 400 with
    what is missing when there is nothing to plan with)."""
    run = begin_run(g.event, g.api_token.user_id)
    where = url_for(".run", event_id=event_id, run_id=run.id)
    return run, 202, {"Location": where}


@blp.get("/events/<int:event_id>/runs/<int:run_id>")
@blp.etag
@blp.response(200, RunSchema)
def run(event_id: int, run_id: int):
    """One run: its status and progress."""
    fail_stale(event_id)
    return matching.get_run(db.session, event=g.event, run_id=run_id)


@blp.get("/events/<int:event_id>/runs/<int:run_id>/meetings")
@blp.etag
@blp.response(200, MeetingSchema(many=True))
@blp.paginate()
def plan(event_id: int, run_id: int, pagination_parameters):
    """The plan a run made: its meetings by time (the published run's with their state and
    answers counted)."""
    return meetings_of(run_id, pagination_parameters)


@blp.post("/events/<int:event_id>/runs/<int:run_id>/publish")
@blp.response(200, RunSchema)
def publish_run(event_id: int, run_id: int):
    """Make a finished run the event's schedule. Each attendee whose meetings changed is sent
    one message saying what changed for them; what they agreed stays (409 if the run is not
    finished or is published already)."""
    return publish(g.event, run_id)

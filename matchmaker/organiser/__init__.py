"""The organiser's dashboard: events, slots, locations, attendees."""

from flask import Blueprint

from matchmaker.web import load_organised_event, require_organiser

bp = Blueprint("organiser", __name__)
bp.before_request(require_organiser)
bp.before_request(load_organised_event)

from matchmaker.organiser import (  # noqa: E402,F401
    announcements,
    api_tokens,
    exports,
    imports,
    live,
    meetings,
    pairs,
    responses,
    runs,
    ticket_shop,
    views,
    webhooks,
)

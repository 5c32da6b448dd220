"""The organiser's dashboard: events, slots, locations, attendees."""

from flask import Blueprint

from matchmaker.web import require_organiser

bp = Blueprint("organiser", __name__)
bp.before_request(require_organiser)

from matchmaker.organiser import (  # noqa: E402,F401
    exports,
    imports,
    meetings,
    pairs,
    responses,
    runs,
    views,
)

"""Attendees: join an event, fill the profile, answer introductions, keep connections."""

from flask import Blueprint

bp = Blueprint("attendee", __name__)

from matchmaker.attendee import (  # noqa: E402,F401
    at_the_table,
    calendar,
    directory,
    event_day,
    introductions,
    my_data,
    views,
)

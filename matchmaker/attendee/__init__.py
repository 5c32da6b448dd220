"""Attendees: join an event, fill and edit the profile."""

from flask import Blueprint

bp = Blueprint("attendee", __name__)

from matchmaker.attendee import calendar, views  # noqa: E402,F401

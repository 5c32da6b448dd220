"""Attendees: join an event, fill the profile, answer introductions, keep connections."""

from flask import Blueprint

bp = Blueprint("attendee", __name__)

from matchmaker.attendee import calendar, directory, introductions, my_data, views  # noqa: E402,F401

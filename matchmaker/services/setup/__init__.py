"""Event setup: events, the timetable, imports of attendees and the overview."""

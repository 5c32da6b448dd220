"""Introductions: what attendees are proposed, their answers, the deadline, reconnecting."""

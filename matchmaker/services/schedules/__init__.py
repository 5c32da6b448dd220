"""Schedules: the published schedule as rows for files and calendars, and export jobs."""

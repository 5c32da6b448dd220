"""The schedule as iCalendar (RFC 5545), with the `icalendar` package: VERSION and PRODID,
a UID per meeting that stays the same across exports and re-published plans, DTSTAMP on
every event, times in the event's zone with a VTIMEZONE for it, CRLF line ends, lines folded
at 75 octets and text escaped (the package does the last three)."""

import functools
from datetime import UTC, date, datetime

from icalendar import Calendar, Event, Timezone

from matchmaker.exports import Export
from matchmaker.services.exports import Schedule, ScheduleRow

PRODID = "-//matchmaker//event matchmaking//EN"


def _summary(row: ScheduleRow, per_person: bool) -> str:
    if row.kind == "group":
        topic = f" on {row.topic}" if row.topic else ""
        return f"Small group{topic}"
    if per_person:
        return f"Meet {', '.join(row.others)}"
    return f"{row.attendee} meets {', '.join(row.others)}"


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone | None:
    """The VTIMEZONE of a zone over these years, built once: what
    `Calendar.add_missing_timezones` builds on every call (0.7 ms; read-only once built)."""
    try:
        return Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
        )
    except ValueError:  # a zone icalendar does not know: the times still carry their TZID
        return None


def schedule_ics(
    schedule: Schedule, *, host: str, per_person: bool, now: datetime | None = None
) -> Export:
    """A calendar of the schedule's meetings: one attendee's (per_person) or the event's
    (each meeting once)."""
    event = schedule.event
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{event.name}: meetings")
    stamp = (now or datetime.now(UTC)).replace(microsecond=0)
    seen = set()
    for row in schedule.rows:
        if row.meeting_key in seen:
            continue  # the event's calendar lists each meeting once
        seen.add(row.meeting_key)
        entry = Event()
        entry.add("uid", f"meeting-{row.meeting_key}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", row.starts_at)
        entry.add("dtend", row.ends_at)
        entry.add("summary", _summary(row, per_person))
        entry.add("location", row.location)
        # A cancelled meeting stays in the feed, so that calendars remove it.
        entry.add("status", "CANCELLED" if row.cancelled else "CONFIRMED")
        lines = [f"With {', '.join(row.others)}" if per_person else ""]
        if row.starter:
            lines.append(f"To start: {row.starter}")
        entry.add("description", "\n".join(line for line in lines if line))
        calendar.add_component(entry)
    first = min((r.starts_at.year for r in schedule.rows), default=date.today().year)
    last = max((r.ends_at.year for r in schedule.rows), default=date.today().year)
    for tzid in sorted(calendar.get_missing_tzids()):
        if (zone := _vtimezone(tzid, first - 1, last + 1)) is not None:
            calendar.subcomponents.insert(0, zone)
    name = f"{event.slug}-{'my-' if per_person else ''}meetings.ics"
    return Export(calendar.to_ical(), "text/calendar; charset=utf-8", name)

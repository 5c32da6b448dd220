"""The schedule as iCalendar (RFC 5545), with the `icalendar` package: VERSION and PRODID,
a UID per meeting that stays the same across exports and re-published plans, DTSTAMP on
every event, times in the event's zone with a VTIMEZONE for it, CRLF line ends, lines folded
at 75 octets and text escaped (the package does the last three)."""

import functools
from datetime import UTC, date, datetime

from icalendar import Calendar, Event, Timezone

from matchmaker.catalogue import N_, say
from matchmaker.exports import ICS, Export
from matchmaker.exports.schedule import Schedule, ScheduleRow
from matchmaker.matcher_words import said_in
from matchmaker.vocabulary import MeetingKind

PRODID = "-//matchmaker//event matchmaking//EN"


def _summary(row: ScheduleRow, per_person: bool, language: str | None = None) -> str:
    if row.kind == MeetingKind.GROUP:
        if row.topic:
            return say(language, N_("Small group on %(topic)s"), topic=row.topic)
        return say(language, N_("Small group"))
    if per_person:
        return say(language, N_("Meet %(names)s"), names=", ".join(row.others))
    return f"{row.attendee} meets {', '.join(row.others)}"


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of a zone over these years as iCalendar lines, built and written once (a
    feed asks for the same few zones again and again; docs/performance.md has the cost).
    Empty for a zone icalendar does not know (the times still carry their TZID)."""
    try:
        zone = Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
        )
    except ValueError:
        return b""
    return zone.to_ical()


def _with_timezones(calendar: bytes, timezones: bytes) -> bytes:
    """The calendar's lines with the VTIMEZONE lines first among its components (where
    icalendar puts them): after its own properties, before its first component or its end.
    A line of a component's start is never part of a folded or escaped value: folds start
    with a space, and text values hold no line breaks."""
    first = calendar.find(b"\r\nBEGIN:")
    at = first + 2 if first != -1 else calendar.rindex(b"END:VCALENDAR")
    return calendar[:at] + timezones + calendar[at:]


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
        entry.add("sequence", row.sequence)
        entry.add("dtstart", row.starts_at)
        entry.add("dtend", row.ends_at)
        entry.add("summary", _summary(row, per_person, schedule.language))
        entry.add("location", row.location)
        # A cancelled meeting stays in the feed, so that calendars remove it.
        entry.add("status", "CANCELLED" if row.cancelled else "CONFIRMED")
        language = schedule.language
        names = ", ".join(row.others)
        lines = [say(language, N_("With %(names)s"), names=names) if per_person else ""]
        if row.starter:
            lines.append(
                say(language, N_("To start: %(starter)s"), starter=said_in(language, row.starter))
            )
        entry.add("description", "\n".join(line for line in lines if line))
        calendar.add_component(entry)
    first = min((r.starts_at.year for r in schedule.rows), default=date.today().year)
    last = max((r.ends_at.year for r in schedule.rows), default=date.today().year)
    zones = b"".join(
        _vtimezone(t, first - 1, last + 1) for t in sorted(calendar.get_missing_tzids())
    )
    data = _with_timezones(calendar.to_ical(), zones)
    return ICS.file(data, f"{event.slug}-{'my-' if per_person else ''}meetings")

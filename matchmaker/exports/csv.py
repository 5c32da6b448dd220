"""The schedule as CSV: one row per attendee per meeting, under a stable header.

UTF-8; with `bom` a byte-order mark first, so that spreadsheet programs read the accents
right. A cell that starts with = + - @ (or a tab or carriage return) would run as a formula in
a spreadsheet: it is prefixed with an apostrophe, which spreadsheets show as text.
"""

import csv
import io
import re

from matchmaker.exports import CSV, Export
from matchmaker.exports.schedule import Schedule
from matchmaker.vocabulary import MeetingKind, label

HEADER = (
    "event",
    "attendee",
    "email",
    "date",
    "start",
    "end",
    "time_zone",
    "location",
    "kind",
    "with",
    "topic",
    "starter",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def schedule_csv(schedule: Schedule, *, bom: bool = False) -> Export:
    """The whole schedule (or one attendee's) as CSV."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    event = schedule.event
    for row in schedule.rows:
        writer.writerow(
            neutralise(cell)
            for cell in (
                event.name,
                row.attendee,
                row.email,
                row.starts_at.date().isoformat(),
                row.starts_at.strftime("%H:%M"),
                row.ends_at.strftime("%H:%M"),
                event.timezone,
                row.location,
                label(row.kind, MeetingKind).lower(),
                "; ".join(row.others),
                row.topic,
                row.starter,
            )
        )
    data = ("\ufeff" if bom else "") + out.getvalue()
    return CSV.file(data.encode("utf-8"), f"{_slug(event.slug)}-schedule")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-") or "event"

"""The files the published schedule can be exported as: one registry, read by the command
line (`flask export-schedule --format`) and by the organisers' download routes."""

from collections.abc import Callable
from dataclasses import dataclass

from matchmaker.exports import CSV, ICS, PDF, Export, FileKind
from matchmaker.exports.csv import schedule_csv
from matchmaker.exports.ical import schedule_ics
from matchmaker.exports.pdf import attendees_pdf, grid_pdf, locations_pdf
from matchmaker.exports.schedule import Schedule


@dataclass(frozen=True)
class Options:
    """What some formats need besides the schedule."""

    host: str = "localhost"  # calendar UIDs end with the site's host name
    one_person: bool = False  # a calendar of one attendee's meetings
    bom: bool = False  # CSV: a byte-order mark first, for spreadsheets
    large_print: bool = False  # attendees' PDF: large type
    # Signs: a location's code -> the address that checks in there (None: no QR code).
    table_link: Callable[[str], str] | None = None


@dataclass(frozen=True)
class ScheduleFormat:
    id: str  # on the command line and in download URLs
    label: str
    kind: FileKind
    build: Callable[[Schedule, Options], Export]
    in_background: bool = False  # long at a large event: a job makes it, not a request


SCHEDULE_FORMATS: dict[str, ScheduleFormat] = {
    f.id: f
    for f in (
        ScheduleFormat("csv", "Spreadsheet (CSV)", CSV, lambda s, o: schedule_csv(s, bom=o.bom)),
        ScheduleFormat(
            "ics",
            "Calendar (iCalendar)",
            ICS,
            lambda s, o: schedule_ics(s, host=o.host, per_person=o.one_person),
        ),
        ScheduleFormat(
            "attendees-pdf",
            "A page per attendee (PDF)",
            PDF,
            lambda s, o: attendees_pdf(s, large_print=o.large_print),
            in_background=True,
        ),
        ScheduleFormat(
            "locations-pdf",
            "A sign per table or room (PDF)",
            PDF,
            lambda s, o: locations_pdf(s, table_link=o.table_link),
        ),
        ScheduleFormat("grid-pdf", "The master grid (PDF)", PDF, lambda s, o: grid_pdf(s)),
    )
}

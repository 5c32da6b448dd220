"""What the schedule exporters read: the published schedule as rows, one per attendee per
meeting, with the heading of its event. Services build these; nothing here reads the database."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class EventHeading(Protocol):
    """What an export says of its event (an event row has these)."""

    slug: str
    name: str
    timezone: str


@dataclass(frozen=True)
class ScheduleRow:
    """One attendee's view of one meeting."""

    meeting_key: str  # the same meeting gets the same key in every export of every run
    attendee: str
    email: str
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime
    location: str
    kind: str
    others: tuple[str, ...]
    topic: str
    starter: str
    cancelled: bool = False
    sequence: int = 0  # raised at each change of the meeting (calendars' SEQUENCE)
    location_code: str = ""  # the short code on its sign, for checking in


@dataclass(frozen=True)
class Schedule:
    event: EventHeading
    rows: list[ScheduleRow]
    language: str | None = None  # one reader's: their files are written in it (None: English)

"""A meeting as calendars know it: a UID that stays the same across exports, re-published
runs and moves, and a sequence raised at each change, so that a calendar takes the newer
version of the same meeting (RFC 5545 `UID` and `SEQUENCE`)."""

import hashlib
from datetime import datetime

from matchmaker.models import Event, Meeting


def meeting_key(event: Event, meeting: Meeting) -> str:
    """Stable across exports and re-published runs: the event, the slot and the people (or
    the key frozen when its people or its time changed), and opaque: a hash under the
    event's salt, so that it names no row."""
    return key_of(
        event, meeting.calendar_uid, meeting.slot_id, [s.profile_id for s in meeting.seats]
    )


def key_of(event: Event, frozen: str | None, slot_id: int, people: list[int]) -> str:
    """`meeting_key` from the parts a query read."""
    if frozen:
        return frozen
    plain = f"{event.id}-{slot_id}-{'-'.join(str(p) for p in sorted(people))}"
    return hashlib.sha256(f"{event.calendar_salt}:{plain}".encode()).hexdigest()[:32]


def freeze(event: Event, meeting: Meeting) -> None:
    """Keep the meeting's calendar UID as it is now, whatever changes of it next."""
    meeting.calendar_uid = meeting_key(event, meeting)


def move(event: Event, meeting: Meeting, *, slot_id: int, location_id: int) -> None:
    """Put the meeting in another slot or place under the same calendar UID, its sequence
    raised (flush is the caller's)."""
    freeze(event, meeting)
    if (slot_id, location_id) != (meeting.slot_id, meeting.location_id):
        meeting.slot_id, meeting.location_id = slot_id, location_id
        meeting.sequence += 1


def cancel(meeting: Meeting, now: datetime) -> None:
    """Mark the meeting as no longer taking place, its sequence raised."""
    meeting.cancelled_at = now
    meeting.sequence += 1

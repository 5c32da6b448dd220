"""An attendee's private answers: accepting or declining a one-to-one introduction (a decline
is never shown to the other person as one: they learn only that the meeting will not take
place, and the freed slot is refilled), and what they say happened afterwards."""

from datetime import datetime

from sqlalchemy.orm import Session

from matchmaker.catalogue import N_
from matchmaker.models import (
    Meeting,
)
from matchmaker.models.profile import FREE_TEXT_MAX
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.introductions.reading import my_meeting, my_seats
from matchmaker.services.people.attendance import get_own_profile
from matchmaker.services.planning import pair_rules, publishing, refills
from matchmaker.vocabulary import MeetingKind, Outcome, Response

NOTE_MAX = FREE_TEXT_MAX * 2
NOT_TAKING_PLACE = N_("This meeting no longer takes place.")
ALREADY_BEGUN = N_("This meeting has already begun: it can no longer be accepted or declined.")


def respond(
    session: Session,
    *,
    slug: str,
    user_id: int,
    meeting_id: int,
    accept: bool,
    now: datetime,
    notice: Notice,
) -> list[Meeting]:
    """Accept or decline one of the attendee's one-to-one introductions. A decline takes the
    meeting out of the schedule and refills its slot for both people it freed (the other
    person is told only that it will not take place, and of any new proposal). Returns the
    new proposals made for the attendee. A meeting that no longer takes place is a Conflict;
    a decline of it is kept all the same."""
    # Declines are taken one at a time per run, under the lock their refills take anyway: a
    # decline reads the meeting as any decline before it left it.
    profile, seat, meeting = my_meeting(
        session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now, lock=not accept
    )
    event = profile.event
    if meeting.kind != MeetingKind.ONE_TO_ONE:
        raise Invalid({"answer": [N_("Small-group meetups need no answer: just come along.")]})
    if meeting.cancelled_at is not None:
        if not accept and seat.response != Response.DECLINED:
            # Both people declining at once: the second decline is kept too, and changes
            # nothing else (the first took the meeting out and refilled the slot).
            seat.response, seat.responded_at = Response.DECLINED, now
            session.flush()
        raise Conflict(NOT_TAKING_PLACE)
    if meeting.slot.starts_at.replace(tzinfo=event.zone) <= now:
        raise Conflict(ALREADY_BEGUN)
    if accept:
        if seat.response != Response.ACCEPTED:
            seat.response, seat.responded_at = Response.ACCEPTED, now
            session.flush()
        return []
    others = [s.profile_id for s in meeting.seats if s is not seat]
    people = [profile.id, *others]
    before = publishing.schedules(session, meeting.run_id, people)
    seat.response, seat.responded_at = Response.DECLINED, now
    pair_rules.keep_declined_apart(session, event_id=event.id, profile_ids=people)
    made = refills.take_out(session, meeting, freed=people, now=now)
    session.flush()
    partners = {s.profile_id for m in made for s in m.seats}
    publishing.tell(
        session, event, before, made, sorted((partners | set(others)) - {profile.id}), notice
    )
    return [m for m in made if profile.id in {s.profile_id for s in m.seats}]


def record_outcome(
    session: Session,
    *,
    slug: str,
    user_id: int,
    meeting_id: int,
    outcome: str | None,
    rating: int | None,
    note: str,
    now: datetime,
) -> None:
    """Keep what the attendee says of a meeting, for them alone: whether it happened, a
    1-5 rating and a private note (the note any time; the rest once it has begun)."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    seats = my_seats(session, profile, meeting_id)
    if not seats:
        raise NotFound(N_("You have no such meeting at this event."))
    seat, event = seats[0], profile.event
    errors: dict[str, list[str]] = {}
    if outcome is not None and outcome not in set(Outcome):
        errors["outcome"] = [N_("Choose “we met” or “they did not come”.")]
    if rating is not None and not 1 <= rating <= 5:
        errors["rating"] = [N_("Rate from 1 to 5.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"Keep the note under {NOTE_MAX} characters."]
    begun = seat.meeting.slot.starts_at.replace(tzinfo=event.zone) <= now
    if (outcome or rating) and not begun:
        errors["outcome"] = [N_("You can say how it went once the meeting has begun.")]
    if (outcome or rating) and seat.meeting.cancelled_at is not None:
        errors["outcome"] = [NOT_TAKING_PLACE]
    if errors:
        raise Invalid(errors)
    seat.outcome, seat.rating, seat.note = outcome, rating, note.strip()
    session.flush()

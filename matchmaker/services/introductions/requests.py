"""Attendees acting for themselves: the event's directory (the people who chose to be listed,
ranked for the reader by the model) and requests to meet one of them, which the engine
places in the first free slot and table the two share, within every rule of the plan.

A request's state is read from the meeting it proposed, and the asker is never told who
said no: a decline, a meeting taken out later and "no common free slot" all read
NOT_POSSIBLE.
"""

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.catalogue import N_
from matchmaker.engine import explain
from matchmaker.engine.refill import free_tables, propose_meeting
from matchmaker.models import (
    MatchRun,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Profile,
    ProfileIntent,
    Tag,
    profile_tags,
)
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.people.attendance import get_own_profile
from matchmaker.services.planning import adapter, publishing, refills
from matchmaker.services.planning.event_model import event_model
from matchmaker.vocabulary import (
    AttendeeFormat,
    Direction,
    Intent,
    MeetingOrigin,
    Response,
    label,
)

NOTE_MAX = 300
# The most people a directory page lists; a search narrows it.
PAGE_MAX = 50
# The reader's best matches are marked as such: the best third of the directory, at most ten.
GOOD_MATCHES = 10
NOT_POSSIBLE = N_("Not possible this time")
WAITING = N_("Waiting for an answer")
ACCEPTED = N_("Accepted: it is in your schedule")
REQUESTS_OFF = N_("Requests to meet are turned off for this event.")


@dataclass(frozen=True)
class Listed:
    """Someone in the directory, as the reader sees them."""

    profile_id: int
    name: str
    headline: str
    company: str
    interests: tuple[str, ...]
    seeks: tuple[str, ...]
    offers: tuple[str, ...]
    good_match: bool
    reason: str
    asked: bool
    # A slot to come where both are free, a free table, and nothing that keeps them apart.
    free_together: bool


@dataclass(frozen=True)
class Directory:
    why_not: str  # why the reader cannot ask anyone ('' if they can)
    reader: Profile  # with its event
    people: list[Listed]
    matching: int  # how many listed people match the search (more than shown: refine it)
    query: str
    requests_left: int
    requests_allowed: int
    published: bool


@dataclass(frozen=True)
class MyRequest:
    """One of the reader's requests: whom, the note, and how it stands."""

    name: str
    note: str
    state: str
    meeting_id: int | None  # the meeting, while it takes place


@dataclass
class _Person:
    """What the directory reads of a listed profile."""

    id: int
    name: str
    headline: str
    company: str
    tags: list[str] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)

    def search_text(self) -> str:
        intents = [label(i, Intent) for i in self.seeks + self.offers]
        words = [self.name, self.headline, self.company, *self.tags, *intents]
        return " ".join(words).casefold()


def _listed_profiles(session: Session, event_id: int, reader_id: int) -> list[_Person]:
    """The listed, filled-in, visible profiles of the event but the reader's, by name, read
    as plain rows (three narrow queries, whatever the size)."""
    listed = (
        sa.select(Profile.id)
        .where(
            Profile.event_id == event_id,
            Profile.listed.is_(True),
            Profile.id != reader_id,
            Profile.can_be_matched(),
        )
        .scalar_subquery()
    )
    people = {
        row.id: _Person(row.id, row.name, row.headline, row.company)
        for row in session.execute(
            sa.select(Profile.id, Profile.name, Profile.headline, Profile.company)
            .where(Profile.id.in_(listed))
            .order_by(Profile.name, Profile.id)
        )
    }
    for profile_id, tag in session.execute(
        sa.select(profile_tags.c.profile_id, Tag.name)
        .join(Tag, Tag.id == profile_tags.c.tag_id)
        .where(profile_tags.c.profile_id.in_(listed))
        .order_by(Tag.name)
    ):
        people[profile_id].tags.append(tag)
    for profile_id, direction, intent in session.execute(
        sa.select(ProfileIntent.profile_id, ProfileIntent.direction, ProfileIntent.intent)
        .where(ProfileIntent.profile_id.in_(listed))
        .order_by(ProfileIntent.intent)
    ):
        person = people[profile_id]
        (person.seeks if direction == Direction.SEEKS else person.offers).append(intent)
    return list(people.values())


def directory(
    session: Session, *, slug: str, user_id: int, now: datetime, query: str = ""
) -> Directory:
    """The event's directory as this attendee sees it: the people who chose to be listed
    (never anyone else), those matching `query` (words in their name, headline, company,
    interests or intents), best match for the reader first, each with the reason written to
    the reader."""
    reader = get_own_profile(session, slug=slug, user_id=user_id)
    event = reader.event
    query = " ".join(query.split())[:100]
    everyone = _listed_profiles(session, event.id, reader.id)
    scores = _scores(session, reader, everyone)
    ranked = sorted(range(len(everyone)), key=lambda k: (-scores[k], everyone[k].name))
    # The best third of the whole directory, whatever the search shows of it.
    best = [k for k in ranked[: min(GOOD_MATCHES, max(1, len(ranked) // 3))] if scores[k] > 0]
    reasons = dict(zip(best, _reasons(session, reader, [everyone[k] for k in best]), strict=True))
    order = ranked
    if query:
        words = query.casefold().split()
        order = [k for k in ranked if all(w in everyone[k].search_text() for w in words)]
    asked = set(
        session.scalars(
            sa.select(MeetingRequest.asked_id).where(
                MeetingRequest.event_id == event.id, MeetingRequest.asker_id == reader.id
            )
        )
    )
    page = [everyone[k] for k in order[:PAGE_MAX]]
    why_not = cannot_ask(reader)
    free = set() if why_not else _free_together(session, reader, page, now)
    shown = [
        Listed(
            profile_id=everyone[k].id,
            name=everyone[k].name,
            headline=everyone[k].headline,
            company=everyone[k].company,
            interests=tuple(everyone[k].tags),
            seeks=tuple(everyone[k].seeks),
            offers=tuple(everyone[k].offers),
            good_match=k in reasons,
            reason=reasons.get(k, ""),
            asked=everyone[k].id in asked,
            free_together=everyone[k].id in free,
        )
        for k in order[:PAGE_MAX]
    ]
    made = len(asked)
    return Directory(
        why_not=why_not,
        reader=reader,
        people=shown,
        matching=len(order),
        query=query,
        requests_left=max(0, event.requests_per_person - made),
        requests_allowed=event.requests_per_person,
        published=event.published_run_id is not None,
    )


def cannot_ask(asker: Profile) -> str:
    """Why this attendee cannot ask anyone to meet one-to-one, from their own profile ('' if
    they can): they learn it before a request counts against their quota."""
    if not asker.is_complete:
        return N_("Fill in your profile before you ask anyone to meet.")
    if asker.hidden:
        return N_("Your profile is hidden from introductions: show it again to ask people to meet.")
    if asker.format == AttendeeFormat.GROUP:
        return N_(
            "Your profile says small groups only: choose one-to-one meetings on your profile "
            "to ask people to meet."
        )
    return ""


def listed_person(session: Session, *, slug: str, user_id: int, profile_id: int) -> Profile:
    """Someone of the directory this attendee may ask to meet (with their event); NotFound
    for anyone else, as for someone who is not listed."""
    reader = get_own_profile(session, slug=slug, user_id=user_id)
    person = session.get(Profile, profile_id)
    if (
        person is None
        or person.event_id != reader.event_id
        or person.id == reader.id
        or not person.listed
        or person.hidden
        or not person.is_complete
    ):
        raise NotFound(N_("There is no such person in this event's directory."))
    return person


def _positions(session: Session, reader: Profile, people: list[_Person]):
    """The event's model, and the reader's and these people's rows in it (None: not in it)."""
    known = event_model(session, reader.event)
    me = known.by_id.get(adapter.person_key(reader.id)) if reader.is_complete else None
    return known, me, [known.by_id.get(adapter.person_key(p.id)) for p in people]


def _scores(session: Session, reader: Profile, people: list[_Person]) -> list[float]:
    """The model's score of the reader with each person (0 for anyone not in the model, or
    all when the reader is not in it yet)."""
    scores = [0.0] * len(people)
    if not people:
        return scores
    known, me, where = _positions(session, reader, people)
    ranked = [k for k, w in enumerate(where) if w is not None]
    if me is None or not ranked:
        return scores
    left = np.full(len(ranked), me, dtype=np.int64)
    right = np.array([where[k] for k in ranked], dtype=np.int64)
    for k, score in zip(ranked, known.model.pair_scores(left, right).tolist(), strict=True):
        scores[k] = score
    return scores


def _reasons(session: Session, reader: Profile, people: list[_Person]) -> list[str]:
    """Why the reader should meet each of these people (all in the model), the first reason
    written to the reader ("" when it is only that they are someone new)."""
    if not people:
        return []
    known, me, where = _positions(session, reader, people)
    left = np.full(len(people), me, dtype=np.int64)
    lines = explain.reasons_for_pairs(
        known.model, left, np.array(where, dtype=np.int64), together=True
    )
    found = []
    for person, why in zip(people, lines, strict=True):
        written = explain.for_reader(why, reader.name, person.name)
        found.append(written[0] if written and written[0] != explain.NOBODY_IN_COMMON else "")
    return found


def ask(
    session: Session,
    *,
    slug: str,
    user_id: int,
    asked_id: int,
    note: str,
    now: datetime,
    notice: Notice,
) -> MeetingRequest:
    """Ask someone of the directory to meet, with an optional note: the engine proposes the
    first free slot and table the two share within every rule, and the other person is told
    and answers privately. A request counts against the event's quota whatever becomes of it;
    without a common free slot it is kept as NOT_POSSIBLE (flush only)."""
    asker = get_own_profile(session, slug=slug, user_id=user_id)
    event = asker.event
    asked = listed_person(session, slug=slug, user_id=user_id, profile_id=asked_id)
    if event.requests_per_person == 0:
        raise Conflict(REQUESTS_OFF)
    if why_not := cannot_ask(asker):
        raise Conflict(why_not)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise Invalid({"note": [f"Keep the note to {NOTE_MAX} characters ({len(note)} now)."]})
    made = session.scalars(
        sa.select(MeetingRequest.asked_id).where(
            MeetingRequest.event_id == event.id, MeetingRequest.asker_id == asker.id
        )
    ).all()
    if asked.id in made:
        raise Conflict(N_("You have asked %(name)s already."), name=asked.name)
    if len(made) >= event.requests_per_person:
        raise Conflict(
            N_("You have asked %(count)s people to meet, the most this event allows."),
            count=len(made),
        )
    meeting = None
    if event.published_run_id is not None:
        meeting = _propose(session, session.get(MatchRun, event.published_run_id), asker, asked,
                           now, notice)  # fmt: skip
    request = MeetingRequest(
        event_id=event.id,
        asker_id=asker.id,
        asked_id=asked.id,
        note=note,
        meeting_id=None if meeting is None else meeting.id,
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request


def _free_together(
    session: Session, reader: Profile, people: list[_Person], now: datetime
) -> set[int]:
    """Those of `people` the reader could meet now: a slot to come where both are free and
    under their caps, a table is free, and the pair may meet (the rules a request checks;
    the request itself checks them again)."""
    event = reader.event
    slots = refills.slots_to_come(event, now)
    if event.published_run_id is None or not slots or not people:
        return set()
    run = session.get(MatchRun, event.published_run_id)
    view = refills.SlotView(session, run, [s.id for s in slots], [reader.id],
                            among=[reader.id, *(p.id for p in people)])  # fmt: skip
    rules = refills.rules_of(session, run)
    me = adapter.person_key(reader.id)
    keys = [me, *(adapter.person_key(p.id) for p in people)]
    frame = adapter.engine_inputs(event, event_model(session, event).attendees(keys), rules).event
    never = frame.constraints.forbidden_pairs() | view.seen
    together: set[int] = set()
    for slot in slots:
        key = adapter.slot_key(slot.id)
        open_ids = set(view.open_ids[slot.id])
        if reader.id not in open_ids or not free_tables(frame, view.meetings[slot.id], key):
            continue
        together |= {
            p.id
            for p in people
            if p.id in open_ids and frozenset((me, adapter.person_key(p.id))) not in never
        }
    return together


def _propose(
    session: Session, run: MatchRun, asker: Profile, asked: Profile, now: datetime, notice: Notice
) -> Meeting | None:
    """The meeting for a request, stored as the asker's accepted and the other's proposal,
    judged by the checker; None when the engine finds no slot."""
    refills.lock_run(session, run.id)
    event = run.event
    slots = refills.slots_to_come(event, now)
    if not slots:
        return None
    pair = [asker.id, asked.id]
    view = refills.SlotView(session, run, [s.id for s in slots], pair, among=pair)
    rules = refills.rules_of(session, run)
    known = event_model(session, event)
    inputs = adapter.engine_inputs(event, known.attendees([adapter.person_key(p) for p in pair]),
                                   rules)  # fmt: skip
    if len(inputs.attendees) < 2:
        return None  # one of them is not in the model (hidden, or no profile yet)
    by_id = {a.id: a for a in inputs.attendees}
    keys = {s.id: adapter.slot_key(s.id) for s in slots}
    made = propose_meeting(
        inputs.event,
        (by_id[adapter.person_key(asker.id)], by_id[adapter.person_key(asked.id)]),
        [keys[s.id] for s in slots],
        {keys[s]: {adapter.person_key(p) for p in ids} for s, ids in view.open_ids.items()},
        {keys[s]: meetings for s, meetings in view.meetings.items()},
        view.seen,
        known.model,
    )
    if made is None:
        return None
    refills.check_new_meetings(session, run, inputs.event, [made])
    before = publishing.schedules(session, run.id, [asked.id])
    me, them = adapter.person_key(asker.id), adapter.person_key(asked.id)
    row = refills.meeting_row(
        run,
        made,
        MeetingOrigin.REQUEST,
        {me: Response.ACCEPTED, them: Response.PENDING},
        {me: now},
    )
    session.add(row)
    session.flush()
    publishing.tell(session, event, before, [row], [asked.id], notice)
    return row


def my_requests(session: Session, *, profile: Profile) -> list[MyRequest]:
    """The attendee's requests, newest first, each as it stands for them: waiting, accepted,
    or NOT_POSSIBLE (no common slot, declined, or taken out: they read the same)."""
    asked_seat = sa.orm.aliased(MeetingSeat)
    rows = session.execute(
        sa.select(
            MeetingRequest.id, MeetingRequest.note, Profile.name, Meeting.id.label("meeting"),
            Meeting.cancelled_at, asked_seat.response,
        )
        .join(Profile, Profile.id == MeetingRequest.asked_id)
        .outerjoin(Meeting, Meeting.id == MeetingRequest.meeting_id)
        .outerjoin(
            asked_seat,
            (asked_seat.meeting_id == Meeting.id)
            & (asked_seat.profile_id == MeetingRequest.asked_id),
        )
        .where(MeetingRequest.asker_id == profile.id)
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
    ).all()  # fmt: skip
    found = []
    for row in rows:
        taking_place = row.meeting is not None and row.cancelled_at is None
        if taking_place and row.response == Response.ACCEPTED:
            state = ACCEPTED
        elif taking_place and row.response == Response.PENDING:
            state = WAITING
        else:
            state = NOT_POSSIBLE
        meeting = row.meeting if state != NOT_POSSIBLE else None
        found.append(MyRequest(name=row.name, note=row.note, state=state, meeting_id=meeting))
    return found

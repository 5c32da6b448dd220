"""Refilling one slot of a plan after a meeting there was declined or cancelled: the people it
freed are offered new one-to-one meetings with people free at that time, within every rule of
the plan (availability, caps, free tables, pairs that must not meet, no pair twice); the
one meeting a person asks for with someone of the event's directory, under the same rules;
the other times a one-to-one could move to when one of its people suggests another; and the
person to meet at once when a partner did not come (a standby pick)."""

from collections import Counter

import numpy as np

from matchmaker.engine import explain
from matchmaker.engine.model import Attendee, Event, Meeting, pair_key
from matchmaker.engine.similarity import ProfileModel
from matchmaker.vocabulary import MeetingKind


def free_tables(event: Event, meetings: list[Meeting], slot_id: str) -> list[str]:
    """The tables (or, with none, every location) nobody uses in the slot, in id order."""
    tables = sorted(loc.id for loc in event.locations if loc.capacity == 2)
    used = {m.location for m in meetings if m.slot == slot_id}
    return [t for t in tables or sorted(loc.id for loc in event.locations) if t not in used]


def open_for_one_to_one(
    event: Event, people: list[Attendee], meetings: list[Meeting], slot_id: str
) -> list[Attendee]:
    """Those of `people` who could take one more one-to-one meeting in the slot: they want
    them, are free then and have not reached their cap."""
    busy = {p for m in meetings if m.slot == slot_id for p in m.attendees}
    count = Counter(p for m in meetings if m.kind == MeetingKind.ONE_TO_ONE for p in m.attendees)
    return [
        a
        for a in people
        if a.wants_one_to_one()
        and a.is_available(slot_id)
        and a.id not in busy
        and count[a.id] < event.cap_of(a)
    ]


def refill_slot(
    event: Event,
    people: list[Attendee],
    meetings: list[Meeting],
    slot_id: str,
    freed: list[str],
    seen: set[frozenset[str]],
    model: ProfileModel | None = None,
) -> tuple[Meeting, ...]:
    """New one-to-one meetings in `slot_id` for the `freed` attendees, best match first.

    `people` are those who could be offered (the freed among them), `meetings` the plan's
    meetings that take place, `seen` the pairs that already had a meeting in the plan (taken
    place or not): none of them is proposed again, nor a pair that must not meet. `model`,
    when given, is a model of a whole event holding every one of `people` (scores then come
    from it, as a run's do); else one is fitted on those free in the slot."""
    slot = next((s for s in event.slots if s.id == slot_id), None)
    if slot is None or slot.format != MeetingKind.ONE_TO_ONE:
        return ()
    tables = free_tables(event, meetings, slot_id)
    open_ = open_for_one_to_one(event, people, meetings, slot_id)
    wanted = set(freed)
    seekers = [k for k, a in enumerate(open_) if a.id in wanted]
    if not tables or not seekers or len(open_) < 2:
        return ()
    if model is None:
        model = ProfileModel(open_)
        index = np.arange(len(open_))
    else:
        where = {a.id: k for k, a in enumerate(model.attendees)}
        index = np.array([where[a.id] for a in open_], dtype=np.int64)
    scores = model.block_scores(index[seekers], index).astype(np.float64)
    forbidden = event.constraints.forbidden_pairs() | seen
    for r, k in enumerate(seekers):
        scores[r, k] = -np.inf
        for c, other in enumerate(open_):
            if frozenset((open_[k].id, other.id)) in forbidden:
                scores[r, c] = -np.inf
    rows, cols = np.nonzero(np.isfinite(scores))
    ids = [a.id for a in open_]
    order = sorted(
        zip(rows.tolist(), cols.tolist(), strict=True),
        key=lambda rc: (-scores[rc], ids[seekers[rc[0]]], ids[rc[1]]),
    )
    taken: set[int] = set()
    picks: list[tuple[int, int, float]] = []
    for r, c in order:
        a = seekers[r]
        if len(picks) == len(tables):
            break
        if a in taken or c in taken:
            continue
        taken |= {a, c}
        picks.append((*pair_key(int(index[a]), int(index[c])), float(scores[r, c])))
    return _introduced(model, slot_id, tables, picks)


def _introduced(
    model: ProfileModel, slot_id: str, tables: list[str], picks: list[tuple[int, int, float]]
) -> tuple[Meeting, ...]:
    """One-to-ones in the slot for the picked pairs (a, b, score) of the model's attendees,
    at the tables in order, each with its topic, reasons and starters."""
    introductions = explain.introduce(model, picks)
    return tuple(
        Meeting(
            slot=slot_id,
            location=table,
            attendees=(model.attendees[a].id, model.attendees[b].id),
            kind=MeetingKind.ONE_TO_ONE,
            score=w,
            topic=topic,
            reasons=tuple(reasons),
            starters=tuple(starters),
        )
        for (a, b, w), table, (topic, reasons, starters) in zip(
            picks, tables, introductions, strict=False
        )
    )


def propose_meeting(
    event: Event,
    pair: tuple[Attendee, Attendee],
    slot_ids: list[str],
    open_ids: dict[str, set[str]],
    meetings: dict[str, list[Meeting]],
    seen: set[frozenset[str]],
    model: ProfileModel,
) -> Meeting | None:
    """The one-to-one a person asked for with another: in the first of `slot_ids` (in time
    order) where both could take one more meeting (`open_ids`: those free then and under
    their cap, as the caller read them; checked again here by `open_for_one_to_one` against
    the slot's `meetings`) at a free table. None when the two must not meet, had a meeting
    already (`seen`, or one in `meetings`), or no such slot is left."""
    a, b = pair
    if a.id == b.id or frozenset((a.id, b.id)) in event.constraints.forbidden_pairs() | seen:
        return None
    if any({a.id, b.id} <= set(m.attendees) for ms in meetings.values() for m in ms):
        return None  # they meet already
    where = {person.id: k for k, person in enumerate(model.attendees)}
    if a.id not in where or b.id not in where:
        return None
    for slot_id in slot_ids:
        if not {a.id, b.id} <= open_ids.get(slot_id, set()):
            continue
        slot_meetings = meetings.get(slot_id, [])
        tables = free_tables(event, slot_meetings, slot_id)
        if not tables or len(open_for_one_to_one(event, [a, b], slot_meetings, slot_id)) < 2:
            continue
        i, j = pair_key(where[a.id], where[b.id])
        score = float(model.pair_scores(np.array([i]), np.array([j]))[0])
        return _introduced(model, slot_id, tables[:1], [(i, j, score)])[0]
    return None


def times_to_move(
    event: Event,
    meeting: Meeting,
    people: list[Attendee],
    others: list[Meeting],
    slot_ids: list[str],
) -> list[tuple[str, str]]:
    """Where the one-to-one `meeting` could move, as (slot, table) in the order of
    `slot_ids`: a one-to-one slot other than its own where each of its `people` is free (in
    their availability, in no meeting of `others` then) and a table is free (its own table
    when it is). `others`: the plan's other meetings that take place, at least those of its
    people and those in these slots. Caps and pairs do not change when a meeting moves."""
    by_id = {a.id: a for a in people}
    if meeting.kind != MeetingKind.ONE_TO_ONE or set(meeting.attendees) - set(by_id):
        return []
    formats = {s.id: s.format for s in event.slots}
    found = []
    for slot_id in slot_ids:
        if slot_id == meeting.slot or formats.get(slot_id) != MeetingKind.ONE_TO_ONE:
            continue
        if not all(by_id[p].is_available(slot_id) for p in meeting.attendees):
            continue
        if any(m.slot == slot_id and set(m.attendees) & set(meeting.attendees) for m in others):
            continue
        tables = free_tables(event, others, slot_id)
        if tables:
            found.append((slot_id, meeting.location if meeting.location in tables else tables[0]))
    return found


def standby_pick(
    event: Event,
    seeker: Attendee,
    candidates: list[Attendee],
    slot_id: str,
    table: str,
    seen: set[frozenset[str]],
    counts: dict[str, int],
    model: ProfileModel,
) -> Meeting | None:
    """The one-to-one to start at once at `table` in `slot_id` for `seeker`, whose partner
    did not come: the best match among `candidates` (people present and free now, as the
    caller found them), never a pair that must not meet or had a meeting (`seen`), nor
    anyone who wants groups only or is at their cap (`counts`: one-to-ones that take place,
    the missed ones left out). Ties go to the lower id. None when nobody fits."""
    where = {person.id: k for k, person in enumerate(model.attendees)}
    never = event.constraints.forbidden_pairs() | seen
    if (
        seeker.id not in where
        or not seeker.wants_one_to_one()
        or counts.get(seeker.id, 0) >= event.cap_of(seeker)
    ):
        return None
    pool = sorted(
        (
            c
            for c in candidates
            if c.id != seeker.id
            and c.id in where
            and c.wants_one_to_one()
            and frozenset((seeker.id, c.id)) not in never
            and counts.get(c.id, 0) < event.cap_of(c)
        ),
        key=lambda c: c.id,
    )
    if not pool:
        return None
    columns = np.array([where[c.id] for c in pool], dtype=np.int64)
    scores = model.block_scores(np.array([where[seeker.id]], dtype=np.int64), columns)[0]
    best = min(range(len(pool)), key=lambda k: (-float(scores[k]), pool[k].id))
    i, j = pair_key(where[seeker.id], where[pool[best].id])
    return _introduced(model, slot_id, [table], [(i, j, float(scores[best]))])[0]

"""Re-planning around a plan people have already seen: keeping its meetings is worth a bonus,
and the figures of what changed (kept, moved, dropped, added, people whose schedule changed)."""

from collections.abc import Iterable

from matchmaker.engine.model import Meeting, Placement

# What keeping a pair of the previous plan is worth on top of its score: a change must gain
# clearly more than this. Measured in docs/engine.md ("Re-plans").
KEEP_BONUS = 0.25


def _signature(meetings: Iterable[Placement | Meeting]) -> dict[str, set[tuple]]:
    """Per person, what their schedule holds: (slot, location, partners) of each meeting."""
    found: dict[str, set[tuple]] = {}
    for m in meetings:
        others = frozenset(m.attendees)
        for person in m.attendees:
            found.setdefault(person, set()).add((m.slot, m.location, others - {person}))
    return found


def _same_place(m: Placement | Meeting, there: dict[tuple, frozenset]) -> bool:
    """Whether `there` has m's meeting at m's slot and place: the same people, or (a group
    table) a group."""
    people = frozenset(m.attendees)
    here = there.get((m.slot, m.location))
    return here is not None and (here == people or (len(people) > 2 and len(here) > 2))


def compare(previous: Iterable[Placement], meetings: Iterable[Meeting]) -> dict[str, int]:
    """What a new plan changes in the previous one. A meeting is kept when the same people
    meet at the same slot and location, moved when the same people meet elsewhere or at
    another time; a group table counts as kept when it meets at the same slot and location,
    whoever joined or left it. The rest of the previous plan is dropped, the rest of the new
    one added."""
    previous, meetings = list(previous), list(meetings)
    now_at = {(m.slot, m.location): frozenset(m.attendees) for m in meetings}
    was_at = {(m.slot, m.location): frozenset(m.attendees) for m in previous}
    now_people = {frozenset(m.attendees) for m in meetings}
    was_people = {frozenset(m.attendees) for m in previous}
    kept = sum(1 for m in previous if _same_place(m, now_at))
    moved = sum(
        1 for m in previous if not _same_place(m, now_at) and frozenset(m.attendees) in now_people
    )
    added = sum(
        1
        for m in meetings
        if not _same_place(m, was_at) and frozenset(m.attendees) not in was_people
    )
    before, after = _signature(previous), _signature(meetings)
    changed = sum(
        1
        for person in set(before) | set(after)
        if _compact(before.get(person)) != _compact(after.get(person))
    )
    return {"kept": kept, "moved": moved, "dropped": len(previous) - kept - moved,
            "added": added, "people_changed": changed}  # fmt: skip


def _compact(entries: set[tuple] | None) -> set[tuple]:
    """A schedule as its person sees it: a group table is its slot and place, whoever sits
    there; a one-to-one is its slot, place and partner."""
    return {
        (slot, location) if len(others) > 1 else (slot, location, others)
        for slot, location, others in entries or ()
    }

"""Small groups for group slots: seats in fitting rooms, people around shared topics, no repeats."""

import heapq
import math
import random
from dataclasses import dataclass

from matchmaker.engine.model import Attendee, Event, Location, pair_key
from matchmaker.vocabulary import AttendeeFormat, MeetingKind

# Meeting someone again costs more than any similarity gains: a repeat only when no other
# seating exists.
REPEAT_PENALTY = 1000.0
# How many of a person's closest candidates point to tables worth trying a swap with.
SWAP_CANDIDATES = 5


@dataclass(frozen=True)
class Group:
    slot: str
    location: str
    members: tuple[int, ...]


# A group table given before seating (fixed, or of the plan people have already seen), by
# position in the attendee list.
Seated = Group


class _Queue:
    """The seated people in priority order, skipping those already placed."""

    def __init__(self, people: list[int], free: set[int]):
        self.people, self.free, self.position = people, free, 0

    def next(self, allowed, look_ahead: int = 64) -> int | None:
        while self.position < len(self.people) and self.people[self.position] not in self.free:
            self.position += 1
        for k in range(self.position, min(self.position + look_ahead, len(self.people))):
            person = self.people[k]
            if person in self.free and allowed(person):
                return person
        return None


def _priority(attendee: Attendee, placed_before: int, tiebreak: float) -> tuple:
    # Those who asked for groups and first-timers first; then who has had fewest group places.
    return (
        attendee.format != AttendeeFormat.GROUP,
        not attendee.first_time,
        placed_before,
        tiebreak,
    )


def _sizes(people: int, rooms: list[Location], smallest: int, largest: int) -> list[int]:
    """How many people each used room gets: as even as rooms allow, each within the sizes."""
    capacity = [min(room.capacity, largest) for room in rooms]
    used = 0
    while used < len(rooms) and (
        sum(capacity[:used]) < people or used < math.ceil(people / largest)
    ):
        used += 1
    while used > 0 and smallest * used > people:
        used -= 1
    sizes = [0] * used
    heap = [(0.0, r) for r in range(used)]
    for _ in range(min(people, sum(capacity[:used]))):
        while heap:
            _, r = heapq.heappop(heap)
            if sizes[r] < capacity[r]:
                sizes[r] += 1
                heapq.heappush(heap, (sizes[r] / capacity[r], r))
                break
    return sizes


def form_groups(
    attendees: list[Attendee],
    event: Event,
    neighbours: list[list[tuple[float, int]]],
    met: set[tuple[int, int]],
    apart: set[tuple[int, int]],
    fixed: list[Group] = (),
    previous: list[Group] = (),
) -> list[Group]:
    """Groups for every group slot, in time order; `met` (pairs) grows as groups form. The
    `fixed` tables stay exactly as given; a `previous` table stays where it was with those of
    its people who still come, when at least the smallest group of them can."""
    smallest, largest = event.group_size
    all_rooms = sorted(
        (loc for loc in event.locations if loc.capacity >= smallest),
        key=lambda loc: (-min(loc.capacity, largest), loc.id),
    )
    capacity = {loc.id: loc.capacity for loc in event.locations}
    rng = random.Random(event.seed)
    placed = [0] * len(attendees)
    groups: list[Group] = []
    for slot in sorted(
        (s for s in event.slots if s.format == MeetingKind.GROUP), key=lambda s: (s.start, s.id)
    ):
        tiebreak = [rng.random() for _ in attendees]
        willing = [
            i for i, a in enumerate(attendees) if a.wants_group() and a.is_available(slot.id)
        ]
        given = [g for g in fixed if g.slot == slot.id]
        busy = {p for g in given for p in g.members}
        used = {g.location for g in given}
        for g in sorted(previous, key=lambda g: (g.location, g.members)):
            if g.slot != slot.id or g.location in used or g.location not in capacity:
                continue
            stay = [p for p in g.members if p in set(willing) and p not in busy]
            stay = stay[: min(capacity[g.location], largest)]
            if len(stay) < smallest or any(
                pair_key(x, y) in apart for k, x in enumerate(stay) for y in stay[k + 1 :]
            ):
                continue
            given.append(Group(slot.id, g.location, tuple(stay)))
            busy.update(stay)
            used.add(g.location)
        for g in given:
            for x in g.members:
                placed[x] += 1
                for y in g.members:
                    if x < y:
                        met.add((x, y))
            groups.append(
                Group(slot.id, g.location, tuple(sorted(g.members, key=lambda m: attendees[m].id)))
            )
        rooms = [room for room in all_rooms if room.id not in used]
        willing = [i for i in willing if i not in busy]
        willing.sort(key=lambda i: _priority(attendees[i], placed[i], tiebreak[i]))
        sizes = _sizes(len(willing), rooms, smallest, largest)
        seated = willing[: sum(sizes)]
        order = {person: rank for rank, person in enumerate(seated)}
        free = set(seated)
        queue = _Queue(seated, free)
        tables: list[tuple[Location, list[int]]] = []
        for room, size in zip(rooms, sizes, strict=False):
            seed = queue.next(lambda p: True)
            if seed is None:
                break
            members = _grow(seed, size, free, order, queue, neighbours, met, apart)
            if len(members) < smallest:
                free.update(members)  # too few could sit together: they stay unseated
                continue
            tables.append((room, members))
        improve_by_swaps([members for _, members in tables], seated, neighbours, met, apart)
        for room, members in tables:
            for x in members:
                placed[x] += 1
                for y in members:
                    if x < y:
                        met.add((x, y))
            ordered = tuple(sorted(members, key=lambda m: attendees[m].id))
            groups.append(Group(slot=slot.id, location=room.id, members=ordered))
    return groups


def improve_by_swaps(
    tables: list[list[int]],
    people: list[int],
    neighbours: list[list[tuple[float, int]]],
    met: set[tuple[int, int]],
    apart: set[tuple[int, int]],
    passes: int = 2,
) -> int:
    """Swap two people between tables whenever both tables gain (similarity, less the
    repeat penalty), trying each person's closest candidates; returns the swaps made.
    Similarity comes from the candidate lists; pairs outside them count as 0."""
    # Per person, what sitting with each other person is worth: the candidate weight, less
    # the repeat penalty for a pair that met, -1e9 for a pair kept apart (0 for the rest).
    worth: dict[int, dict[int, float]] = {}
    for person in people:
        for w, other in neighbours[person]:
            worth.setdefault(person, {})[other] = w
            worth.setdefault(other, {})[person] = w
    for x, y in {pair_key(x, y) for x, y in met}:
        for a, b in ((x, y), (y, x)):
            row = worth.setdefault(a, {})
            row[b] = row.get(b, 0.0) - REPEAT_PENALTY
    for x, y in apart:
        worth.setdefault(x, {})[y] = -1e9
        worth.setdefault(y, {})[x] = -1e9
    nothing: dict = {}

    def value(x: int, y: int) -> float:
        return worth.get(x, nothing).get(y, 0.0)

    # How much a person is drawn to a table, kept until that table changes.
    version = [0] * len(tables)
    pulls: dict[tuple[int, int], tuple[int, float]] = {}

    def pull(x: int, t: int) -> float:
        known = pulls.get((x, t))
        if known is not None and known[0] == version[t]:
            return known[1]
        found = sum(value(x, y) for y in tables[t] if y != x)
        pulls[(x, t)] = (version[t], found)
        return found

    table_of = {p: t for t, members in enumerate(tables) for p in members}
    swaps = 0
    for _ in range(passes):
        changed = False
        for p in people:
            if p not in table_of:
                continue
            tried: set[int] = set()
            for _, q in neighbours[p][:SWAP_CANDIDATES]:
                g, h = table_of[p], table_of.get(q)
                if h is None or h == g or h in tried:
                    continue
                tried.add(h)
                # Take p to q's table, in exchange for whoever there gains the most.
                base_p = pull(p, h) - pull(p, g)
                best, best_gain = None, 1e-9
                for r in tables[h]:
                    both = value(p, r)
                    gain = base_p - both + pull(r, g) - both - pull(r, h)
                    if gain > best_gain:
                        best, best_gain = r, gain
                if best is not None:
                    tables[g][tables[g].index(p)] = best
                    tables[h][tables[h].index(best)] = p
                    table_of[p], table_of[best] = h, g
                    version[g] += 1
                    version[h] += 1
                    swaps += 1
                    changed = True
                    break
        if not changed:
            break
    return swaps


def _grow(seed, size, free, order, queue, neighbours, met, apart) -> list[int]:
    """Start from `seed` and add, one by one, the free person closest to the group so far."""
    members = [seed]
    free.discard(seed)
    pull: dict[int, float] = {}

    def attract(person: int) -> None:
        for w, other in neighbours[person]:
            if other in free:
                pull[other] = pull.get(other, 0.0) + w

    attract(seed)
    while len(members) < size and free:
        best, best_value = None, -math.inf
        for candidate, value in pull.items():
            if candidate not in free:
                continue
            if any(pair_key(candidate, m) in apart for m in members):
                continue
            value -= REPEAT_PENALTY * sum(pair_key(candidate, m) in met for m in members)
            if value > best_value or (value == best_value and order[candidate] < order[best]):
                best, best_value = candidate, value
        fresh = queue.next(
            lambda p: not any(pair_key(p, m) in apart or pair_key(p, m) in met for m in members)
        )
        if fresh is not None and pull.get(fresh, 0.0) > best_value:
            best = fresh
        if best is None:
            best = queue.next(lambda p: not any(pair_key(p, m) in apart for m in members))
            if best is None:
                break
        members.append(best)
        free.discard(best)
        pull.pop(best, None)
        attract(best)
    return members

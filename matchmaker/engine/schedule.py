"""Putting chosen pairs into one-to-one slots: one meeting per attendee per slot, only in slots
both are free, never more meetings in a slot than tables; then filling what is left."""

from dataclasses import dataclass, field

from matchmaker.engine.model import pair_key


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


@dataclass
class Timetable:
    """Who meets whom in which slot; masks are bit sets over the one-to-one slots."""

    available: list[int]
    caps: list[int]
    tables: list[int]
    busy: list[int] = field(init=False)
    degree: list[int] = field(init=False)
    # (attendee, slot) -> the meeting there, as (a, b, weight)
    at: dict[tuple[int, int], tuple[int, int, float]] = field(init=False)
    free_tables: list[int] = field(init=False)
    met: set[tuple[int, int]] = field(init=False)
    # Pairs the organiser pinned: they may move to another slot but are never dropped.
    fixed: set[tuple[int, int]] = field(init=False)
    # Fixed meetings: never moved, never dropped.
    frozen: set[tuple[int, int]] = field(init=False)
    # Pairs of the previous plan placed where they were: not moved to make room for others.
    settled: set[tuple[int, int]] = field(init=False)

    def __post_init__(self):
        self.busy = [0] * len(self.available)
        self.degree = [0] * len(self.available)
        self.at = {}
        self.free_tables = list(self.tables)
        self.met = set()
        self.fixed = set()
        self.frozen = set()
        self.settled = set()

    def is_fixed(self, meeting: tuple[int, int, float]) -> bool:
        """Never dropped: pinned or fixed."""
        key = pair_key(meeting[0], meeting[1])
        return key in self.fixed or key in self.frozen

    def stays(self, meeting: tuple[int, int, float]) -> bool:
        """Never moved to another slot: fixed, or kept where the previous plan had it."""
        key = pair_key(meeting[0], meeting[1])
        return key in self.frozen or key in self.settled

    @property
    def open_slots(self) -> int:
        return sum(1 << s for s, left in enumerate(self.free_tables) if left > 0)

    def common_free(self, a: int, b: int) -> int:
        return (
            self.available[a] & self.available[b] & ~self.busy[a] & ~self.busy[b] & self.open_slots
        )

    def best_slot(self, mask: int) -> int:
        # The slot with the most tables left spreads meetings; ties go to the earliest.
        return max(_bits(mask), key=lambda s: (self.free_tables[s], -s))

    def place(self, a: int, b: int, weight: float, slot: int) -> None:
        meeting = (a, b, weight)
        for person in (a, b):
            self.busy[person] |= 1 << slot
            self.degree[person] += 1
            self.at[(person, slot)] = meeting
        self.free_tables[slot] -= 1
        self.met.add(pair_key(a, b))

    def remove(self, a: int, b: int, slot: int) -> None:
        for person in (a, b):
            self.busy[person] &= ~(1 << slot)
            self.degree[person] -= 1
            del self.at[(person, slot)]
        self.free_tables[slot] += 1
        self.met.discard(pair_key(a, b))

    def try_place(self, a: int, b: int, weight: float) -> bool:
        if pair_key(a, b) in self.met:
            return False
        mask = self.common_free(a, b)
        if not mask:
            return False
        self.place(a, b, weight, self.best_slot(mask))
        return True

    def try_place_by_moving(self, a: int, b: int, weight: float) -> bool:
        """Place (a, b) in a slot where a or b is busy, moving those meetings elsewhere."""
        if pair_key(a, b) in self.met:
            return False
        for slot in _bits(self.available[a] & self.available[b]):
            blockers = {self.at[(p, slot)] for p in (a, b) if (p, slot) in self.at}
            if any(self.stays(m) for m in blockers):
                continue
            moves = []
            for x, y, w in sorted(blockers):
                self.remove(x, y, slot)
                moves.append((x, y, w))
            targets = []
            for x, y, w in moves:
                mask = self.common_free(x, y) & ~(1 << slot)
                if not mask:
                    break
                target = self.best_slot(mask)
                self.place(x, y, w, target)
                targets.append(target)
            if len(targets) == len(moves) and self.free_tables[slot] > 0:
                self.place(a, b, weight, slot)
                return True
            for (x, y, _), target in zip(moves, targets, strict=False):
                self.remove(x, y, target)
            for x, y, w in moves:
                self.place(x, y, w, slot)
        return False

    def meetings_of(self, person: int, exclude_slot: int = -1) -> list[tuple[int, int, float]]:
        """The person's meetings outside one slot."""
        return [self.at[(person, s)] for s in _bits(self.busy[person]) if s != exclude_slot]

    def slot_of(self, meeting: tuple[int, int, float]) -> int:
        """The slot a placed meeting is in."""
        a = meeting[0]
        return next(s for s in _bits(self.busy[a]) if self.at[(a, s)] == meeting)

    def meetings(self) -> list[tuple[int, int, float, int]]:
        """Every meeting once, as (a, b, weight, slot)."""
        seen = []
        for (person, slot), (a, b, w) in self.at.items():
            if person == a:
                seen.append((a, b, w, slot))
        return sorted(seen, key=lambda m: (m[3], -m[2], m[0], m[1]))


def schedule_pairs(table: Timetable, pairs: list[tuple[int, int, float]]) -> list[tuple]:
    """Place chosen pairs, the most constrained first; return those that found no slot."""

    def freedom(pair):
        a, b, w = pair
        return (bin(table.available[a] & table.available[b]).count("1"), -w, a, b)

    unplaced = []
    for a, b, w in sorted(pairs, key=freedom):
        full = table.degree[a] >= table.caps[a] or table.degree[b] >= table.caps[b]
        if full or not (table.try_place(a, b, w) or table.try_place_by_moving(a, b, w)):
            unplaced.append((a, b, w))
    return unplaced


def trade_up(table: Timetable, pairs: list[tuple[int, int, float]]) -> int:
    """Place pairs that found no slot by dropping weaker meetings of the same people (and, for
    someone at their cap, their weakest meeting); dropped meetings try another slot. A slot
    short of tables is left as it is."""
    traded = 0
    for a, b, w in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if pair_key(a, b) in table.met:
            continue
        best = None
        for slot in _bits(table.available[a] & table.available[b]):
            drops = {table.at[(p, slot)] for p in (a, b) if (p, slot) in table.at}
            for person in (a, b):
                mine = [m for m in drops if person in m[:2]]
                if table.degree[person] - len(mine) >= table.caps[person]:
                    others = [
                        m for m in table.meetings_of(person, exclude_slot=slot) if m not in drops
                    ]
                    if not others:
                        break
                    drops.add(min(others, key=lambda m: (m[2], m[0], m[1])))
            else:
                if any(table.is_fixed(m) for m in drops):
                    continue
                freed = sum(
                    1 for m in drops if (m[0], slot) in table.at and table.at[(m[0], slot)] == m
                )
                cost = sum(m[2] for m in drops)
                if (
                    table.free_tables[slot] + freed > 0
                    and cost < w
                    and (best is None or cost < best[0])
                ):
                    best = (cost, slot, drops)
        if best is None:
            continue
        _, slot, drops = best
        moved = [(m, table.slot_of(m)) for m in drops]
        for m, at in moved:
            table.remove(m[0], m[1], at)
        table.place(a, b, w, slot)
        for x, y, weight in (m for m, _ in moved):
            if table.degree[x] < table.caps[x] and table.degree[y] < table.caps[y]:
                table.try_place(x, y, weight)
        traded += 1
    return traded


def fill(table: Timetable, edges: list[tuple[int, int, float]]) -> int:
    """Add candidate pairs, best first, wherever both have room and a common free slot."""
    added = 0
    for a, b, w in edges:
        if w <= 0:
            break
        if table.degree[a] < table.caps[a] and table.degree[b] < table.caps[b]:
            added += table.try_place(a, b, w)
    return added


def cover_everyone(table: Timetable, neighbours: list[list[tuple[float, int]]]) -> int:
    """Give a meeting to each attendee with none who could have one, trading the weakest
    meeting of a partner whose other side keeps at least one."""
    helped = 0
    for a in range(len(table.available)):
        if table.degree[a] or not table.caps[a] or not table.available[a]:
            continue
        options = []  # (score lost, b, weight, slot, meeting dropped or None)
        for w, b in neighbours[a]:
            if pair_key(a, b) in table.met:
                continue
            mask = table.common_free(a, b) if table.degree[b] < table.caps[b] else 0
            if mask:
                options.append((-w, b, w, table.best_slot(mask), None))
                continue
            for slot in _bits(table.available[a] & table.available[b] & ~table.busy[a]):
                dropped = table.at.get((b, slot))
                if dropped is not None and not table.is_fixed(dropped):
                    other = dropped[1] if dropped[0] == b else dropped[0]
                    if table.degree[other] >= 2:
                        options.append((dropped[2] - w, b, w, slot, dropped))
        if not options:
            continue
        _, b, w, slot, dropped = min(options, key=lambda o: o[:2] + (o[3],))
        if dropped is not None:
            table.remove(dropped[0], dropped[1], slot)
        table.place(a, b, w, slot)
        helped += 1
    return helped

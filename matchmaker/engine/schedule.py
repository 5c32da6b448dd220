"""Putting chosen pairs into one-to-one slots: one meeting per attendee per slot, only in slots
both are free, never more meetings in a slot than tables; then filling what is left."""

from dataclasses import dataclass, field


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

    def __post_init__(self):
        self.busy = [0] * len(self.available)
        self.degree = [0] * len(self.available)
        self.at = {}
        self.free_tables = list(self.tables)
        self.met = set()

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
        self.met.add((min(a, b), max(a, b)))

    def remove(self, a: int, b: int, slot: int) -> None:
        for person in (a, b):
            self.busy[person] &= ~(1 << slot)
            self.degree[person] -= 1
            del self.at[(person, slot)]
        self.free_tables[slot] += 1
        self.met.discard((min(a, b), max(a, b)))

    def try_place(self, a: int, b: int, weight: float) -> bool:
        if (min(a, b), max(a, b)) in self.met:
            return False
        mask = self.common_free(a, b)
        if not mask:
            return False
        self.place(a, b, weight, self.best_slot(mask))
        return True

    def try_place_by_moving(self, a: int, b: int, weight: float) -> bool:
        """Place (a, b) in a slot where a or b is busy, moving those meetings elsewhere."""
        if (min(a, b), max(a, b)) in self.met:
            return False
        for slot in _bits(self.available[a] & self.available[b]):
            blockers = {self.at[(p, slot)] for p in (a, b) if (p, slot) in self.at}
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
        best = None  # (loss, kind, b, slot, dropped)
        for w, b in neighbours[a]:
            if (min(a, b), max(a, b)) in table.met:
                continue
            if table.degree[b] < table.caps[b]:
                mask = table.common_free(a, b)
                if mask:
                    best = min(best or (float("inf"),), (-w, "add", b, table.best_slot(mask), None))
                    continue
            for slot in _bits(table.available[a] & table.available[b] & ~table.busy[a]):
                dropped = table.at.get((b, slot))
                if dropped is None:
                    continue
                other = dropped[1] if dropped[0] == b else dropped[0]
                if table.degree[other] >= 2:
                    option = (dropped[2] - w, "swap", b, slot, dropped)
                    best = min(best or option, option)
        if best is None:
            continue
        _, kind, b, slot, dropped = best
        if kind == "swap":
            table.remove(dropped[0], dropped[1], slot)
        weight = next(w for w, n in neighbours[a] if n == b)
        table.place(a, b, weight, slot)
        helped += 1
    return helped

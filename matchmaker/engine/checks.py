"""The plan checker: every rule a plan must keep, as a list of violations (empty when fine)."""

from collections import Counter

from matchmaker.engine.model import Attendee, Event, Plan
from matchmaker.vocabulary import MeetingKind


def check_plan(event: Event, attendees: list[Attendee], plan: Plan | dict) -> list[str]:
    """Every way `plan` breaks the event's rules; [] when it keeps them all."""
    data = plan.to_dict() if isinstance(plan, Plan) else plan
    people = {a.id: a for a in attendees}
    slots = {s.id: s for s in event.slots}
    locations = {loc.id: loc for loc in event.locations}
    forbidden = event.constraints.forbidden_pairs()
    apart = {frozenset(p) for p in event.constraints.apart}
    smallest, largest = event.group_size
    problems: list[str] = []
    booked: dict[tuple[str, str], int] = {}
    used: dict[tuple[str, str], int] = {}
    one_to_one: Counter[str] = Counter()
    pairs_met: dict[frozenset, int] = {}

    for n, meeting in enumerate(data.get("meetings", [])):
        at = f"meeting {n}"
        slot, location = slots.get(meeting.get("slot")), locations.get(meeting.get("location"))
        members = list(meeting.get("attendees", []))
        kind = meeting.get("kind")
        if slot is None:
            problems.append(f"{at}: unknown slot {meeting.get('slot')!r}")
            continue
        if location is None:
            problems.append(f"{at}: unknown location {meeting.get('location')!r}")
            continue
        if kind != slot.format:
            problems.append(f"{at}: a {kind} meeting in {slot.format} slot {slot.id}")
        if len(set(members)) != len(members):
            problems.append(f"{at}: lists an attendee twice")
        if len(members) > location.capacity:
            problems.append(
                f"{at}: {len(members)} people at {location.id} (seats {location.capacity})"
            )
        if kind == MeetingKind.ONE_TO_ONE and len(members) != 2:
            problems.append(f"{at}: a one-to-one meeting of {len(members)} people")
        if kind == MeetingKind.GROUP and not smallest <= len(members) <= largest:
            problems.append(f"{at}: a group of {len(members)} (allowed {smallest}-{largest})")
        key = (slot.id, location.id)
        if key in used:
            problems.append(
                f"{at}: {location.id} is double-booked in slot {slot.id} (meeting {used[key]})"
            )
        used[key] = n
        for person in members:
            attendee = people.get(person)
            if attendee is None:
                problems.append(f"{at}: unknown attendee {person!r}")
                continue
            if (slot.id, person) in booked:
                first = booked[(slot.id, person)]
                problems.append(
                    f"{at}: {person} is double-booked in slot {slot.id} (meeting {first})"
                )
            booked[(slot.id, person)] = n
            if not attendee.is_available(slot.id):
                problems.append(f"{at}: {person} is not available in slot {slot.id}")
            if kind == MeetingKind.ONE_TO_ONE:
                one_to_one[person] += 1
                if not attendee.wants_one_to_one():
                    problems.append(f"{at}: {person} asked for groups only")
            elif kind == MeetingKind.GROUP and not attendee.wants_group():
                problems.append(f"{at}: {person} asked for one-to-one meetings only")
        if kind == MeetingKind.ONE_TO_ONE and len(members) == 2:
            pair = frozenset(members)
            if pair in pairs_met:
                problems.append(
                    f"{at}: {members[0]} and {members[1]} already meet (meeting {pairs_met[pair]})"
                )
            pairs_met[pair] = n
            if pair in forbidden:
                problems.append(f"{at}: {members[0]} and {members[1]} must not meet")
        if kind == MeetingKind.GROUP:
            for pair in apart:
                if pair <= set(members):
                    a, b = sorted(pair)
                    problems.append(f"{at}: {a} and {b} must be kept apart")

    for person, count in sorted(one_to_one.items()):
        cap = event.cap_of(people[person])
        if count > cap:
            problems.append(f"{person} has {count} one-to-one meetings (at most {cap})")
    return problems

"""Rules on pairs: the organiser's (must meet: a pin; must not meet: a forbid; already know
each other: met before), and the attendees' declines (a declined pair is kept apart for the
rest of the event; nobody is told which of the two declined). Every later run and refill keeps
them."""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import Event, PairRuleRow, Profile
from matchmaker.services.core.access import load_for_event
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.vocabulary import (
    ORGANISER_PAIR_RULES,
    PAIR_RULE_LABELS,
    AttendeeFormat,
    MeetingKind,
    PairRule,
)

SAME_PERSON = "Choose two different attendees."
DECLINED_STAYS = (
    "One of these two declined an introduction to the other: they stay apart for the rest of "
    "the event."
)
NOT_HERE = "Choose an attendee of this event."
NO_COMMON_SLOT = "{a} and {b} have no free one-to-one slot in common, so they cannot meet."
NOT_ONE_TO_ONE = "{name} asked for small groups only, so cannot be given a one-to-one meeting."


def _profile(session: Session, event_id: int, profile_id: int | None, field: str) -> Profile:
    profile = session.get(Profile, profile_id) if profile_id else None
    if profile is None or profile.event_id != event_id:
        raise Invalid.field(field, NOT_HERE)
    return profile


def _check_pin(first: Profile, second: Profile) -> None:
    for person in (first, second):
        if person.format == AttendeeFormat.GROUP:
            raise Invalid.field("other_id", NOT_ONE_TO_ONE.format(name=person.name))
    mine = {s.id for s in first.available_slots if s.format == MeetingKind.ONE_TO_ONE}
    if not mine & {s.id for s in second.available_slots}:
        raise Invalid.field("other_id", NO_COMMON_SLOT.format(a=first.name, b=second.name))


def set_pair_rule(
    session: Session, *, event: Event, profile_id: int, other_id: int, rule: str
) -> PairRuleRow:
    """Say that two attendees must meet, must not, or already know each other; a new rule on
    a pair replaces the old one."""
    if rule not in ORGANISER_PAIR_RULES:
        raise Invalid.field("rule", "Choose what these two should do.")
    first = _profile(session, event.id, profile_id, "profile_id")
    second = _profile(session, event.id, other_id, "other_id")
    if first.id == second.id:
        raise Invalid.field("other_id", SAME_PERSON)
    if rule == PairRule.TOGETHER:
        _check_pin(first, second)
    return _keep(session, event.id, first.id, second.id, rule)


def keep_declined_apart(session: Session, *, event_id: int, profile_ids: list[int]) -> None:
    """After a one-to-one introduction is declined: its two people never meet again at this
    event (the rule replaces any other on the pair, an organiser's pin included)."""
    first, second = profile_ids
    _keep(session, event_id, first, second, PairRule.DECLINED)


def _keep(session: Session, event_id: int, a: int, b: int, rule: str) -> PairRuleRow:
    low, high = sorted((a, b))
    row = session.scalar(
        sa.select(PairRuleRow).where(
            PairRuleRow.event_id == event_id,
            PairRuleRow.first_id == low,
            PairRuleRow.second_id == high,
        )
    )
    if row is not None and row.rule == PairRule.DECLINED:
        if rule != PairRule.DECLINED:
            raise Conflict(DECLINED_STAYS)
        return row
    try:
        with session.begin_nested():
            if row is None:
                row = PairRuleRow(event_id=event_id, first_id=low, second_id=high)
                session.add(row)
            row.rule = rule
    except IntegrityError:  # a rule was set on this pair at the same moment
        if rule != PairRule.DECLINED:
            raise Conflict("Someone else just set a rule on this pair. Look again.") from None
        return _keep(session, event_id, a, b, rule)  # the decline replaces it
    return row


def remove_pair_rule(session: Session, *, event: Event, rule_id: int) -> None:
    """Take a rule on a pair away; later runs no longer keep it."""
    missing = "There is no such rule at this event."
    row = load_for_event(session, PairRuleRow, rule_id, event_id=event.id, missing=missing)
    if row.rule == PairRule.DECLINED:
        raise Conflict(DECLINED_STAYS)
    session.delete(row)
    session.flush()


def list_pair_rules(session: Session, *, event: Event) -> list[PairRuleRow]:
    """An event's rules on pairs, newest first, with both people loaded."""
    return list(
        session.scalars(
            sa.select(PairRuleRow)
            .where(PairRuleRow.event_id == event.id)
            .options(selectinload(PairRuleRow.first), selectinload(PairRuleRow.second))
            .order_by(PairRuleRow.id.desc())
        )
    )


def rule_label(rule: str) -> str:
    return PAIR_RULE_LABELS[rule]

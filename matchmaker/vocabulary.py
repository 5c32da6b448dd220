"""The event's own words that every layer shares: intents, formats and their labels."""

from enum import StrEnum

INTENTS: tuple[str, ...] = (
    "mentorship",
    "jobs",
    "knowledge",
    "collaboration",
    "business",
)

INTENT_LABELS: dict[str, str] = {
    "mentorship": "Mentorship",
    "jobs": "Jobs (a job or people to hire)",
    "knowledge": "Knowledge",
    "collaboration": "Collaboration",
    "business": "Business (clients, partners, investors)",
}


class Direction(StrEnum):
    """Whether an attendee seeks an intent or offers it."""

    SEEKS = "seeks"
    OFFERS = "offers"


# What an attendee prefers to take part in.
ATTENDEE_FORMATS: tuple[str, ...] = ("one_to_one", "group", "any")
ATTENDEE_FORMAT_LABELS: dict[str, str] = {
    "one_to_one": "One-to-one meetings",
    "group": "Small groups",
    "any": "Either",
}

# What a time slot is for.
SLOT_FORMATS: tuple[str, ...] = ("one_to_one", "group")
SLOT_FORMAT_LABELS: dict[str, str] = {
    "one_to_one": "One-to-one",
    "group": "Small group",
}


class RunStatus(StrEnum):
    """Where a matching run stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_RUN_STATUSES: tuple[str, ...] = (RunStatus.QUEUED, RunStatus.RUNNING)


class MeetingKind(StrEnum):
    ONE_TO_ONE = "one_to_one"
    GROUP = "group"


class PairRule(StrEnum):
    """What an organiser says of two attendees: they must meet, must not, or know each other."""

    TOGETHER = "together"
    APART = "apart"
    MET_BEFORE = "met_before"


PAIR_RULE_LABELS: dict[str, str] = {
    PairRule.TOGETHER: "must meet",
    PairRule.APART: "must not meet",
    PairRule.MET_BEFORE: "already know each other",
}


def sql_in(column: str, values) -> str:
    """A CHECK constraint's text: `column` holds one of `values`."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Response(StrEnum):
    """An attendee's answer to a one-to-one introduction (private to them)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DROPPED = "dropped"  # still pending at the response deadline, when the event drops those


class AfterDeadline(StrEnum):
    """What proposals nobody answered become at the event's response deadline."""

    ACCEPT = "accept"
    DROP = "drop"


AFTER_DEADLINE_LABELS: dict[str, str] = {
    AfterDeadline.ACCEPT: "they take place (count as accepted)",
    AfterDeadline.DROP: "they are dropped (do not take place)",
}


class Outcome(StrEnum):
    """What an attendee says happened at a meeting (private to them)."""

    MET = "met"
    NO_SHOW = "no_show"


class MeetingOrigin(StrEnum):
    """Where a meeting came from: the run's plan, or a refill after a decline or cancellation."""

    PLANNED = "planned"
    REFILL = "refill"

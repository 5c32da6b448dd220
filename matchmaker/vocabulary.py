"""The event's own words that every layer shares: what meetings, formats, intents, answers and
statuses are called in the data, and what people read for each (`label`, the one home of
labels: templates use it as the `label` filter, exports and mails call it)."""

from enum import StrEnum

from matchmaker.catalogue import N_  # marks the labels below for translation


class Intent(StrEnum):
    """What an attendee seeks or offers."""

    MENTORSHIP = "mentorship"
    JOBS = "jobs"
    KNOWLEDGE = "knowledge"
    COLLABORATION = "collaboration"
    BUSINESS = "business"


class Direction(StrEnum):
    """Whether an attendee seeks an intent or offers it."""

    SEEKS = "seeks"
    OFFERS = "offers"


class MeetingKind(StrEnum):
    """What a meeting is, and what a time slot is for."""

    ONE_TO_ONE = "one_to_one"
    GROUP = "group"


class AttendeeFormat(StrEnum):
    """What an attendee prefers to take part in."""

    ONE_TO_ONE = "one_to_one"
    GROUP = "group"
    ANY = "any"


class JobStatus(StrEnum):
    """Where a background job (a matching run, an export) stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_JOB_STATUSES: tuple[str, ...] = (JobStatus.QUEUED, JobStatus.RUNNING)


class MailStatus(StrEnum):
    """Where a message waiting to leave stands."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class PairRule(StrEnum):
    """What is known of two attendees: the organiser says they must meet, must not, or know
    each other; or one of them declined an introduction to the other (kept apart for the rest
    of the event, and nobody is told which of them declined)."""

    TOGETHER = "together"
    APART = "apart"
    MET_BEFORE = "met_before"
    DECLINED = "declined"


# The rules an organiser sets (a decline is the attendee's own, and stays).
ORGANISER_PAIR_RULES: tuple[str, ...] = (PairRule.TOGETHER, PairRule.APART, PairRule.MET_BEFORE)
# The rules that keep two people out of the same meeting.
KEPT_APART: tuple[str, ...] = (PairRule.APART, PairRule.DECLINED)


class Response(StrEnum):
    """An attendee's answer to a one-to-one introduction (private to them)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DROPPED = "dropped"  # still pending at the response deadline, when the event drops those


class IntroductionStatus(StrEnum):
    """Where an introduction stands for one attendee (their answer and the other's, read
    together: a decline by the other person reads exactly like a cancellation, "off")."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    CONFIRMED = "confirmed"
    GROUP = "group"
    DECLINED = "declined"
    DROPPED = "dropped"
    OFF = "off"


class AfterDeadline(StrEnum):
    """What proposals nobody answered become at the event's response deadline."""

    ACCEPT = "accept"
    DROP = "drop"


class Outcome(StrEnum):
    """What an attendee says happened at a meeting (private to them)."""

    MET = "met"
    NO_SHOW = "no_show"


class MeetingOrigin(StrEnum):
    """Where a meeting came from: the run's plan, a refill after a decline or cancellation, or
    an attendee's request to meet someone from the event's directory."""

    PLANNED = "planned"
    REFILL = "refill"
    REQUEST = "request"
    STANDBY = "standby"  # someone present, picked at once when a partner did not come
    FREE_NOW = "free_now"  # two people who both said they were free now


class TimeSuggestionState(StrEnum):
    """Where a suggestion of another time for a one-to-one stands."""

    OPEN = "open"  # waiting for the other person
    MOVED = "moved"  # confirmed: the meeting moved
    KEPT = "kept"  # the other kept the time it had (or the suggester withdrew it)
    VOID = "void"  # the meeting or the time changed first, or another time was suggested


LABELS: dict[type[StrEnum], dict[str, str]] = {
    Intent: {
        Intent.MENTORSHIP: N_("Mentorship"),
        Intent.JOBS: N_("Jobs (a job or people to hire)"),
        Intent.KNOWLEDGE: N_("Knowledge"),
        Intent.COLLABORATION: N_("Collaboration"),
        Intent.BUSINESS: N_("Business (clients, partners, investors)"),
    },
    MeetingKind: {MeetingKind.ONE_TO_ONE: N_("One-to-one"), MeetingKind.GROUP: N_("Small group")},
    AttendeeFormat: {
        AttendeeFormat.ONE_TO_ONE: N_("One-to-one meetings"),
        AttendeeFormat.GROUP: N_("Small groups"),
        AttendeeFormat.ANY: N_("Either"),
    },
    PairRule: {
        PairRule.TOGETHER: N_("must meet"),
        PairRule.APART: N_("must not meet"),
        PairRule.MET_BEFORE: N_("already know each other"),
        PairRule.DECLINED: N_("declined an introduction: kept apart"),
    },
    IntroductionStatus: {
        IntroductionStatus.PROPOSED: N_("Proposed: accept or decline"),
        IntroductionStatus.ACCEPTED: N_("You accepted: it is confirmed once both of you have"),
        IntroductionStatus.CONFIRMED: N_("Confirmed"),
        IntroductionStatus.GROUP: N_("Small-group meetup"),
        IntroductionStatus.DECLINED: N_("You declined this introduction"),
        IntroductionStatus.DROPPED: N_("Not answered before the deadline: it does not take place"),
        IntroductionStatus.OFF: N_("This meeting will not take place"),
    },
    AfterDeadline: {
        AfterDeadline.ACCEPT: N_("they take place (count as accepted)"),
        AfterDeadline.DROP: N_("they are dropped (do not take place)"),
    },
    JobStatus: {
        JobStatus.QUEUED: N_("queued"),
        JobStatus.RUNNING: N_("running"),
        JobStatus.DONE: N_("done"),
        JobStatus.FAILED: N_("failed"),
    },
}
# The names templates give the `label` filter: {{ slot.format|label("meeting_kind") }}.
VOCABULARIES: dict[str, type[StrEnum]] = {
    "intent": Intent,
    "meeting_kind": MeetingKind,
    "format": AttendeeFormat,
    "pair_rule": PairRule,
    "status": IntroductionStatus,
    "after_deadline": AfterDeadline,
    "job_status": JobStatus,
}


def label(value: str, of: type[StrEnum] | str) -> str:
    """What people read for `value` of vocabulary `of` (an enum, or its name in VOCABULARIES)."""
    vocabulary = VOCABULARIES[of] if isinstance(of, str) else of
    return LABELS[vocabulary][vocabulary(value)]


def small_group(topic: str) -> str:
    """What a small group is called: "Small group", or "Small group on <topic>"."""
    name = LABELS[MeetingKind][MeetingKind.GROUP]
    return f"{name} on {topic}" if topic else name


def template_globals() -> dict:
    """What every template (pages and mails) gets: the vocabularies, to compare with."""
    return {enum.__name__: enum for enum in (*VOCABULARIES.values(), Direction)}


# Tuples and label maps in the shape forms and CHECK constraints take.
INTENTS: tuple[str, ...] = tuple(Intent)
INTENT_LABELS: dict[str, str] = LABELS[Intent]
ATTENDEE_FORMATS: tuple[str, ...] = tuple(AttendeeFormat)
ATTENDEE_FORMAT_LABELS: dict[str, str] = LABELS[AttendeeFormat]
SLOT_FORMATS: tuple[str, ...] = tuple(MeetingKind)
SLOT_FORMAT_LABELS: dict[str, str] = LABELS[MeetingKind]
PAIR_RULE_LABELS: dict[str, str] = LABELS[PairRule]
AFTER_DEADLINE_LABELS: dict[str, str] = LABELS[AfterDeadline]


def sql_in(column: str, values) -> str:
    """A CHECK constraint's text: `column` holds one of `values`."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"

"""What the API reads and writes, as marshmallow schemas: they dump the services' results and
load (and validate) what callers send; the OpenAPI document is made from them."""

import marshmallow as ma
from marshmallow import fields, validate

from matchmaker.vocabulary import INTENTS, MeetingKind

TEXTS = {"type": "array", "items": {"type": "string"}}


class Schema(ma.Schema):
    class Meta:
        ordered = True


class EventSchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    venue = fields.String(dump_only=True)
    timezone = fields.String(dump_only=True, metadata={"description": "IANA time zone name"})
    starts_on = fields.Date(dump_only=True)
    ends_on = fields.Date(dump_only=True)
    max_meetings = fields.Integer(dump_only=True)
    group_size_min = fields.Integer(dump_only=True)
    group_size_max = fields.Integer(dump_only=True)
    published_run_id = fields.Integer(dump_only=True, allow_none=True)
    published_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class SlotSchema(Schema):
    id = fields.Integer(dump_only=True)
    starts_at = fields.Function(lambda s: s.starts_at_aware().isoformat(), dump_only=True,
                                metadata={"type": "string", "format": "date-time"})  # fmt: skip
    ends_at = fields.Function(lambda s: s.ends_at_aware().isoformat(), dump_only=True,
                              metadata={"type": "string", "format": "date-time"})  # fmt: skip
    format = fields.String(dump_only=True, metadata={"enum": [str(k) for k in MeetingKind]})
    label = fields.String(dump_only=True)


class LocationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    capacity = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": ["table", "room"]})


class AttendeeSchema(Schema):
    """Who is at the event (what they wrote about themselves is their profile)."""

    id = fields.Integer(dump_only=True, attribute="profile.id")
    name = fields.String(dump_only=True, attribute="profile.name")
    email = fields.Email(dump_only=True, attribute="profile.user.email")
    company = fields.String(dump_only=True, attribute="profile.company")
    headline = fields.String(dump_only=True, attribute="profile.headline")
    profile_filled = fields.Function(lambda r: r.profile.completed_at is not None, dump_only=True,
                                     metadata={"type": "boolean"})  # fmt: skip
    hidden = fields.Boolean(dump_only=True, attribute="profile.hidden")
    meetings = fields.Integer(
        dump_only=True,
        metadata={"description": "Meetings taking place in the published schedule."},
    )


class AttendeeInSchema(Schema):
    """An attendee to invite, or to update while they have not filled their profile in."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    company = fields.String(load_default="")
    headline = fields.String(load_default="")
    interests = fields.List(fields.String(), load_default=list)
    seeks = fields.List(fields.String(validate=validate.OneOf(INTENTS)), load_default=list)
    offers = fields.List(fields.String(validate=validate.OneOf(INTENTS)), load_default=list)


class AttendeeResultSchema(Schema):
    email = fields.Email(dump_only=True)
    action = fields.String(
        dump_only=True,
        metadata={
            "enum": ["invited", "updated", "kept"],
            "description": "invited: new to the event, sent an invitation; updated: their "
            "details changed (profile not filled in yet); kept: they filled their profile "
            "in themselves, and it is left as they wrote it.",
        },
    )
    attendee_id = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "None until someone with an account already accepts."},
    )


class AttendeeQuerySchema(Schema):
    q = fields.String(
        load_default="",
        metadata={"description": "Every word in the name, email, company or an interest."},
    )
    show = fields.String(
        load_default="",
        validate=validate.OneOf(["", "no-profile", "no-meeting", "hidden"]),
        metadata={"description": "Only those without a profile, without a meeting, or hidden."},
    )


class ProfileSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    headline = fields.String(dump_only=True)
    company = fields.String(dump_only=True)
    bio = fields.String(dump_only=True)
    looking_for = fields.String(dump_only=True)
    can_help = fields.String(dump_only=True)
    interests = fields.Function(lambda p: [t.name for t in p.tags], dump_only=True,
                                metadata=TEXTS)  # fmt: skip
    seeks = fields.Function(lambda p: p.intent_names("seeks"), dump_only=True,
                            metadata=TEXTS)  # fmt: skip
    offers = fields.Function(lambda p: p.intent_names("offers"), dump_only=True,
                             metadata=TEXTS)  # fmt: skip
    format = fields.String(dump_only=True)
    max_meetings = fields.Integer(dump_only=True, allow_none=True)
    available_slot_ids = fields.Function(
        lambda p: sorted(s.id for s in p.available_slots),
        dump_only=True,
        metadata={"type": "array", "items": {"type": "integer"}},
    )
    completed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    hidden = fields.Boolean(dump_only=True)


class RunSchema(Schema):
    id = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": ["queued", "running", "done",
                                                               "failed"]})  # fmt: skip
    progress = fields.Integer(dump_only=True, metadata={"description": "Percent done."})
    phase = fields.String(dump_only=True)
    error = fields.String(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    started_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    finished_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    published = fields.Function(lambda r: r.event.published_run_id == r.id, dump_only=True,
                                metadata={"type": "boolean"})  # fmt: skip


class AnswerCountsSchema(Schema):
    accepted = fields.Integer(dump_only=True)
    waiting = fields.Integer(dump_only=True)


class MeetingSchema(Schema):
    """A meeting of a plan. Answers are counted, never shown per person: nobody learns from
    the API who declined."""

    id = fields.Integer(dump_only=True)
    run_id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": [str(k) for k in MeetingKind]})
    slot_id = fields.Integer(dump_only=True)
    location_id = fields.Integer(dump_only=True)
    starts_at = fields.String(dump_only=True, metadata={"format": "date-time"})
    ends_at = fields.String(dump_only=True, metadata={"format": "date-time"})
    location = fields.String(dump_only=True)
    topic = fields.String(dump_only=True)
    origin = fields.String(dump_only=True)
    state = fields.String(
        dump_only=True,
        metadata={"enum": ["planned", "waiting", "confirmed", "not taking place"]},
    )
    attendee_ids = fields.List(fields.Integer(), dump_only=True)
    answers = fields.Nested(AnswerCountsSchema, dump_only=True, allow_none=True)


class AnswersSchema(Schema):
    """How attendees answered the published one-to-one introductions, counted."""

    proposals = fields.Integer(dump_only=True)
    confirmed = fields.Integer(dump_only=True)
    accepted = fields.Integer(dump_only=True)
    declined = fields.Integer(dump_only=True)
    pending = fields.Integer(dump_only=True)
    dropped = fields.Integer(dump_only=True)
    refilled = fields.Integer(dump_only=True)
    not_taking_place = fields.Integer(dump_only=True)
    requested = fields.Integer(dump_only=True)


class ProblemSchema(Schema):
    """An error as problem details (RFC 9457)."""

    type = fields.String(metadata={"description": "always about:blank: see the status"})
    title = fields.String(metadata={"description": "the HTTP status's phrase"})
    status = fields.Integer()
    detail = fields.String(metadata={"description": "what went wrong, for people"})
    instance = fields.String(metadata={"description": "the path that was asked for"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "for input that broke a rule: the messages of each field"},
    )

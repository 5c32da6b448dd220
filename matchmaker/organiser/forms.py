"""Organiser forms: shape only; rules live in services."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import HiddenInput

from matchmaker.forms import CheckboxesField, Form
from matchmaker.models.api import TOKEN_NAME_MAX, TokenScope
from matchmaker.models.event import (
    DESCRIPTION_MAX,
    EVENT_NAME_MAX,
    LOCATION_NAME_MAX,
    SLOT_LABEL_MAX,
    VENUE_MAX,
)
from matchmaker.models.webhook import WEBHOOK_KINDS
from matchmaker.vocabulary import (
    AFTER_DEADLINE_LABELS,
    ORGANISER_PAIR_RULES,
    PAIR_RULE_LABELS,
    SLOT_FORMAT_LABELS,
)

# The time zones of the world's regions (not the old aliases such as US/Eastern), grouped
# by region and named by their city, so that the list reads like a map: Europe > Berlin.
REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
           "Indian", "Pacific")  # fmt: skip
TIMEZONES = [SelectChoice("UTC", _l("UTC (no time zone)"))] + [
    SelectChoice(tz, tz.split("/", 1)[1].replace("_", " ").replace("/", " / "), optgroup=region)
    for region in REGIONS
    for tz in sorted(t for t in available_timezones() if t.startswith(f"{region}/"))
]
SLOT_FORMAT_CHOICES = [
    SelectChoice(value, _l(label)) for value, label in SLOT_FORMAT_LABELS.items()
]


class EventForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=EVENT_NAME_MAX)])
    description = TextAreaField(_l("Description"), validators=[Length(max=DESCRIPTION_MAX)])
    venue = StringField(_l("Venue"), validators=[Length(max=VENUE_MAX)])
    timezone = SelectField(_l("Time zone"), choices=TIMEZONES, default="UTC")
    starts_on = DateField(
        _l("First day"), validators=[InputRequired(message=_l("Enter the first day."))]
    )
    ends_on = DateField(
        _l("Last day"), validators=[InputRequired(message=_l("Enter the last day."))]
    )
    join_closes_on = DateField(
        _l("Signups close on"),
        validators=[Optional()],
        description=_l("Leave empty to keep signups open until the last day."),
    )
    max_meetings = IntegerField(
        _l("Meetings per attendee at most"),
        default=6,
        validators=[InputRequired(), NumberRange(min=1, max=50)],
    )
    group_size_min = IntegerField(
        _l("Smallest group"),
        default=3,
        validators=[InputRequired(), NumberRange(min=2, max=20)],
    )
    group_size_max = IntegerField(
        _l("Largest group"),
        default=6,
        validators=[InputRequired(), NumberRange(min=2, max=50)],
    )
    requests_per_person = IntegerField(
        _l("Requests to meet per attendee"),
        default=5,
        validators=[InputRequired(), NumberRange(min=0, max=50)],
        description=_l(
            "How many people each attendee may ask to meet from the event's "
            "directory; 0 turns requests off. Requests count toward each person's meetings."
        ),
    )
    tables_kept_free = IntegerField(
        _l("Tables kept free in each slot"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=1000)],
        description=_l(
            "Matching runs leave this many tables free in every one-to-one slot, for "
            "requests to meet and people who join after the schedule is published."
        ),
    )
    meetings_kept_free = IntegerField(
        _l("Meetings kept free per attendee"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=50)],
        description=_l(
            "Matching runs plan this many one-to-ones fewer than each person's "
            "limit, so that they have room to ask and be asked to meet."
        ),
    )

    reminder_minutes = IntegerField(
        _l("Reminder before each meeting (minutes)"),
        default=10,
        validators=[InputRequired(), NumberRange(min=0, max=240)],
        description=_l(
            "Attendees get a message this many minutes before each meeting (each can "
            "turn them off); 0 sends none."
        ),
    )
    morning_check = BooleanField(
        _l("Ask “still coming today?” on the morning of each event day"),
        default=True,
        description=_l(
            "At 07:00, everyone with meetings that day can answer yes or no in one "
            "click; a “no” frees their meetings for others, as a decline does."
        ),
    )


class MessageForm(Form):
    subject = StringField(_l("Subject"), validators=[Length(max=120)])
    body = TextAreaField(
        _l("Message"),
        validators=[Length(max=5000)],
        description=_l(
            "Plain text. Each attendee gets it with their name and a link to their introductions."
        ),
    )
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send to everyone"))


class SlotForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Enter the day."))])
    start = TimeField(_l("Starts"), validators=[InputRequired(message=_l("Enter the start time."))])
    end = TimeField(_l("Ends"), validators=[InputRequired(message=_l("Enter the end time."))])
    format = SelectField(_l("For"), choices=SLOT_FORMAT_CHOICES)
    label = StringField(
        _l("Label"),
        validators=[Length(max=SLOT_LABEL_MAX)],
        description=_l("Optional, e.g. Lunch."),
    )


class SlotSeriesForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Enter the day."))])
    start = TimeField(
        _l("From"), validators=[InputRequired(message=_l("Enter when the first starts."))]
    )
    end = TimeField(
        _l("To"), validators=[InputRequired(message=_l("Enter when the last must end."))]
    )
    length = IntegerField(
        _l("Meeting length (minutes)"),
        default=20,
        validators=[InputRequired(), NumberRange(min=5, max=480)],
    )
    pause = IntegerField(
        _l("Break between (minutes)"),
        default=5,
        validators=[InputRequired(), NumberRange(min=0, max=240)],
    )
    format = SelectField(_l("For"), choices=SLOT_FORMAT_CHOICES)


class LocationForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=LOCATION_NAME_MAX - 4)],
        description=_l("e.g. Table, or Room B."),
    )
    capacity = IntegerField(
        _l("Seats"),
        default=2,
        validators=[
            InputRequired(),
            NumberRange(min=2, max=500, message=_l("A location seats 2 to 500 people.")),
        ],
        description=_l("2 for a table for one-to-one meetings; more for a room for groups."),
    )
    count = IntegerField(
        _l("How many"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=500)],
        description=_l("More than 1 adds numbered locations: Table 1, Table 2, ..."),
    )


class LocationEditForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=LOCATION_NAME_MAX)])
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(),
            NumberRange(min=2, max=500, message=_l("A location seats 2 to 500 people.")),
        ],
    )


class PairRuleForm(Form):
    """Two attendees, each typed as a name or an email address (the page suggests the
    event's attendees as "Name (email)"), and what they should do."""

    attendee = StringField(
        _l("Attendee"),
        validators=[Length(max=400)],
        description=_l("Type a name or an email address; your browser suggests as you type."),
    )
    other = StringField(_l("and"), validators=[Length(max=400)])
    # The review's buttons on a meeting name its two people by profile id instead.
    profile_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    other_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    rule = RadioField(
        _l("They"),
        choices=[
            SelectChoice(str(rule), _l(PAIR_RULE_LABELS[rule])) for rule in ORGANISER_PAIR_RULES
        ],
        validators=[InputRequired(message=_l("Choose what these two should do."))],
    )
    next = HiddenField()


class MoveMeetingForm(Form):
    slot_id = SelectField(_l("Slot"), coerce=int, validators=[InputRequired()])
    location_id = SelectField(_l("Table or room"), coerce=int, validators=[InputRequired()])


class ImportForm(Form):
    file = FileField(
        _l("Attendee list (CSV)"),
        validators=[FileRequired(message=_l("Choose a CSV file to upload."))],
        description=_l("UTF-8, commas or semicolons, at most 2 MB and 5,000 people."),
    )


class ResponseDeadlineForm(Form):
    deadline = DateTimeLocalField(
        _l("Answer by"),
        validators=[Optional()],
        description=_l("In the event's time zone. Leave empty for no deadline."),
    )
    after_deadline = RadioField(
        _l("Introductions nobody answered by then"),
        choices=[SelectChoice(k, _l(v)) for k, v in AFTER_DEADLINE_LABELS.items()],
        default="accept",
    )


class ApiTokenForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            InputRequired(message=_l("Give the token a name.")),
            Length(max=TOKEN_NAME_MAX),
        ],
        description=_l("What will use it, such as “ticket shop sync”."),
    )
    scope = RadioField(
        _l("It may"),
        choices=[
            SelectChoice(TokenScope.READ, _l("Read the events, attendees, runs and schedules")),
            SelectChoice(
                TokenScope.WRITE,
                _l("Read, and also invite attendees, start runs and publish"),
            ),
        ],
        default=TokenScope.READ,
        validators=[InputRequired(message=_l("Choose what the token may do."))],
    )


class WebhookForm(Form):
    url = StringField(
        _l("Address (URL)"),
        validators=[InputRequired(message=_l("Give the address to send to.")), Length(max=2000)],
        description=_l(
            "Where your tool listens, such as https://crm.example.org/hooks/matchmaker."
        ),
    )
    kinds = CheckboxesField(
        _l("Send"),
        choices=[
            SelectChoice("attendee.joined", _l("attendee.joined: someone joins the event")),
            SelectChoice("plan.published", _l("plan.published: a plan becomes the schedule")),
            SelectChoice(
                "meeting.changed",
                _l("meeting.changed: a published meeting is added, moved or cancelled"),
            ),
            SelectChoice(
                "answer.given", _l("answer.given: someone accepts or declines an introduction")
            ),
        ],
        default=list(WEBHOOK_KINDS),
    )


class PretixForm(Form):
    base_url = StringField(
        _l("pretix address"),
        validators=[InputRequired(message=_l("Give pretix's address.")), Length(max=500)],
        description=_l("Where your pretix runs, such as https://pretix.eu."),
    )
    organizer = StringField(
        _l("Organiser's short name"),
        validators=[Length(max=100)],
        description=_l("As in pretix's addresses: https://pretix.eu/<organiser>/<event>/."),
    )
    event_slug = StringField(_l("Event's short name"), validators=[Length(max=100)])
    token = PasswordField(
        _l("API token"),
        validators=[Length(max=200)],
        description=_l(
            "Of a pretix team that may read this event's orders. Leave empty to keep the one saved."
        ),
    )
    count_pending = BooleanField(_l("Invite as soon as an order is placed, before it is paid"))

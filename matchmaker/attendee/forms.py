"""Attendee forms: shape only; rules live in services."""

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from matchmaker.forms import CheckboxesField, Form
from matchmaker.models.profile import (
    BIO_MAX,
    COMPANY_MAX,
    FREE_TEXT_MAX,
    HEADLINE_MAX,
)
from matchmaker.models.user import NAME_MAX
from matchmaker.services.introductions.answers import NOTE_MAX
from matchmaker.services.people.attendance import parse_links
from matchmaker.services.people.tags import parse_tags
from matchmaker.vocabulary import ATTENDEE_FORMAT_LABELS, INTENT_LABELS, AttendeeFormat, Outcome


def choices_of(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class ProfileForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX)])
    headline = StringField(
        "Headline",
        validators=[Length(max=HEADLINE_MAX)],
        description="What you do, in a line: e.g. Data engineer working on search.",
    )
    company = StringField("Company or organisation", validators=[Length(max=COMPANY_MAX)])
    bio = TextAreaField(
        "About you",
        validators=[Length(max=BIO_MAX)],
        description="What you work on and care about. The matcher reads this.",
    )
    suggested_interests = CheckboxesField("Popular at this event", choices=[])
    interests = StringField(
        "Interests",
        validators=[Length(max=1000)],
        description="Comma-separated, e.g. machine learning, open source, hiring.",
    )
    seeks = CheckboxesField("I am looking for", choices=choices_of(INTENT_LABELS))
    offers = CheckboxesField("I can offer", choices=choices_of(INTENT_LABELS))
    looking_for = TextAreaField(
        "Looking for, in your words",
        validators=[Length(max=FREE_TEXT_MAX)],
        description="e.g. a mentor in product management; a co-founder for a climate start-up.",
    )
    can_help = TextAreaField(
        "Can help with, in your words",
        validators=[Length(max=FREE_TEXT_MAX)],
        description="e.g. reviewing CVs; Kubernetes in production.",
    )
    format = RadioField(
        "I would like to meet people",
        choices=choices_of(ATTENDEE_FORMAT_LABELS),
        default=AttendeeFormat.ANY,
    )
    available_slots = CheckboxesField("When I am free", coerce=int, choices=[])
    max_meetings = IntegerField(
        "One-to-one meetings at most",
        validators=[Optional(), NumberRange(min=1, max=50)],
        description="Caps your one-to-one meetings; small-group meetups come on top. "
        "Leave empty for the event's default.",
    )
    links = TextAreaField(
        "Links",
        description="One per line: your website, LinkedIn or GitHub page.",
    )
    share_contact = BooleanField(
        "Share my email address and links with the people I meet "
        "(each sees them only if they share theirs too)"
    )
    listed = BooleanField(
        "List me in this event's directory",
        description="Other attendees can then find you by name, company or interest and ask "
        "to meet you; you answer each request privately.",
    )

    reminders = BooleanField(
        "Remind me before each meeting",
        description="A message a few minutes before each meeting starts, with where to go.",
    )

    def validate_links(self, field):
        _, errors = parse_links(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))

    def validate_interests(self, field):
        _, errors = parse_tags(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))

    def all_interests(self) -> list[str]:
        chosen = list(self.suggested_interests.data or [])
        typed, _ = parse_tags(self.interests.data or "")
        return chosen + [tag for tag in typed if tag not in chosen]


class AnswerForm(Form):
    accept = SubmitField("Accept")
    decline = SubmitField("Decline")


OUTCOME_CHOICES = [
    SelectChoice("", "Not yet / no answer"),
    SelectChoice(Outcome.MET, "We met"),
    SelectChoice(Outcome.NO_SHOW, "They did not come"),
]
RATING_CHOICES = [SelectChoice("", "No rating")] + [
    SelectChoice(str(k), f"{k} of 5") for k in range(1, 6)
]


class OutcomeForm(Form):
    outcome = RadioField("How did it go?", choices=OUTCOME_CHOICES, default="")
    rating = RadioField("Your rating (only you see it)", choices=RATING_CHOICES, default="")
    note = TextAreaField(
        "Private note",
        validators=[Length(max=NOTE_MAX)],
        description="Only you see this: what you talked about, what to follow up.",
    )


class DeleteAccountForm(Form):
    password = PasswordField("Your password", validators=[DataRequired()])
    confirm = BooleanField(
        "I understand that this deletes my account, my profiles and my meetings for good",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )


class AnotherTimeForm(Form):
    slot_id = RadioField(
        "A time you are both free",
        coerce=int,
        choices=[],
        validators=[DataRequired(message="Choose one of the times.")],
    )


class TimeAnswerForm(Form):
    confirm = SubmitField("Confirm the new time")
    keep = SubmitField("Keep the current time")


class NextStepForm(Form):
    text = StringField(
        "Next step (only you see it)",
        validators=[Length(max=300, message="Keep it to 300 characters.")],
        description="e.g. send the paper we talked about; introduce them to Sam.",
    )
    remind_on = DateField("Remind me on", validators=[Optional()])


class TableCodeForm(Form):
    code = StringField(
        "The code on the table's sign",
        validators=[DataRequired(message="Type the code on the sign."), Length(max=20)],
        description="Five letters and digits, e.g. 9ZCUU.",
    )


class AskForm(Form):
    note = TextAreaField(
        "A note (optional)",
        validators=[Length(max=300, message="Keep the note to 300 characters.")],
        description="Say why you would like to meet; at most 300 characters.",
    )

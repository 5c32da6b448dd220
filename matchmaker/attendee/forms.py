"""Attendee forms: shape only; rules live in services."""

from flask_babel import lazy_gettext as _l
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
from matchmaker.i18n import said
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
    """Choices from a vocabulary's labels, each read in the reader's language."""
    return [SelectChoice(value, _l(label)) for value, label in labels.items()]


class ProfileForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    headline = StringField(
        _l("Headline"),
        validators=[Length(max=HEADLINE_MAX)],
        description=_l("What you do, in a line: e.g. Data engineer working on search."),
    )
    company = StringField(_l("Company or organisation"), validators=[Length(max=COMPANY_MAX)])
    bio = TextAreaField(
        _l("About you"),
        validators=[Length(max=BIO_MAX)],
        description=_l("What you work on and care about. The matcher reads this."),
    )
    suggested_interests = CheckboxesField(_l("Popular at this event"), choices=[])
    interests = StringField(
        _l("Interests"),
        validators=[Length(max=1000)],
        description=_l("Comma-separated, e.g. machine learning, open source, hiring."),
    )
    seeks = CheckboxesField(_l("I am looking for"), choices=choices_of(INTENT_LABELS))
    offers = CheckboxesField(_l("I can offer"), choices=choices_of(INTENT_LABELS))
    looking_for = TextAreaField(
        _l("Looking for, in your words"),
        validators=[Length(max=FREE_TEXT_MAX)],
        description=_l("e.g. a mentor in product management; a co-founder for a climate start-up."),
    )
    can_help = TextAreaField(
        _l("Can help with, in your words"),
        validators=[Length(max=FREE_TEXT_MAX)],
        description=_l("e.g. reviewing CVs; Kubernetes in production."),
    )
    format = RadioField(
        _l("I would like to meet people"),
        choices=choices_of(ATTENDEE_FORMAT_LABELS),
        default=AttendeeFormat.ANY,
    )
    available_slots = CheckboxesField(_l("When I am free"), coerce=int, choices=[])
    max_meetings = IntegerField(
        _l("One-to-one meetings at most"),
        validators=[Optional(), NumberRange(min=1, max=50)],
        description=_l(
            "Caps your one-to-one meetings; small-group meetups come on top. "
            "Leave empty for the event's default."
        ),
    )
    links = TextAreaField(
        _l("Links"),
        description=_l("One per line: your website, LinkedIn or GitHub page."),
    )
    share_contact = BooleanField(
        _l(
            "Share my email address and links with the people I meet "
            "(each sees them only if they share theirs too)"
        )
    )
    listed = BooleanField(
        _l("List me in this event's directory"),
        description=_l(
            "Other attendees can then find you by name, company or interest and ask "
            "to meet you; you answer each request privately."
        ),
    )

    reminders = BooleanField(
        _l("Remind me before each meeting"),
        description=_l("A message a few minutes before each meeting starts, with where to go."),
    )

    def validate_links(self, field):
        _, errors = parse_links(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))

    def validate_interests(self, field):
        _, errors = parse_tags(field.data or "")
        if errors:
            raise ValidationError(" ".join(said(e) for e in errors))

    def all_interests(self) -> list[str]:
        chosen = list(self.suggested_interests.data or [])
        typed, _ = parse_tags(self.interests.data or "")
        return chosen + [tag for tag in typed if tag not in chosen]


class AnswerForm(Form):
    accept = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


OUTCOME_CHOICES = [
    SelectChoice("", _l("Not yet / no answer")),
    SelectChoice(Outcome.MET, _l("We met")),
    SelectChoice(Outcome.NO_SHOW, _l("They did not come")),
]
RATING_CHOICES = [SelectChoice("", _l("No rating"))] + [
    SelectChoice(str(k), _l("%(k)d of 5", k=k)) for k in range(1, 6)
]


class OutcomeForm(Form):
    outcome = RadioField(_l("How did it go?"), choices=OUTCOME_CHOICES, default="")
    rating = RadioField(_l("Your rating (only you see it)"), choices=RATING_CHOICES, default="")
    note = TextAreaField(
        _l("Private note"),
        validators=[Length(max=NOTE_MAX)],
        description=_l("Only you see this: what you talked about, what to follow up."),
    )


class DeleteAccountForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    confirm = BooleanField(
        _l("I understand that this deletes my account, my profiles and my meetings for good"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class AnotherTimeForm(Form):
    slot_id = RadioField(
        _l("A time you are both free"),
        coerce=int,
        choices=[],
        validators=[DataRequired(message=_l("Choose one of the times."))],
    )


class TimeAnswerForm(Form):
    confirm = SubmitField(_l("Confirm the new time"))
    keep = SubmitField(_l("Keep the current time"))


class NextStepForm(Form):
    text = StringField(
        _l("Next step (only you see it)"),
        validators=[Length(max=300, message=_l("Keep it to 300 characters."))],
        description=_l("e.g. send the paper we talked about; introduce them to Sam."),
    )
    remind_on = DateField(_l("Remind me on"), validators=[Optional()])


class TableCodeForm(Form):
    code = StringField(
        _l("The code on the table's sign"),
        validators=[DataRequired(message=_l("Type the code on the sign.")), Length(max=20)],
        description=_l("Five letters and digits, e.g. 9ZCUU."),
    )


class AskForm(Form):
    note = TextAreaField(
        _l("A note (optional)"),
        validators=[Length(max=300, message=_l("Keep the note to 300 characters."))],
        description=_l("Say why you would like to meet; at most 300 characters."),
    )

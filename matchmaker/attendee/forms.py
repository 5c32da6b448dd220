"""Attendee forms: shape only; rules live in services."""

from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from matchmaker.forms import Form
from matchmaker.models.profile import (
    BIO_MAX,
    COMPANY_MAX,
    FREE_TEXT_MAX,
    HEADLINE_MAX,
)
from matchmaker.models.user import NAME_MAX
from matchmaker.services.tags import parse_tags
from matchmaker.vocabulary import ATTENDEE_FORMAT_LABELS, INTENT_LABELS


def choices_of(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


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
        default="any",
    )
    available_slots = CheckboxesField("When I am free", coerce=int, choices=[])
    max_meetings = IntegerField(
        "One-to-one meetings at most",
        validators=[Optional(), NumberRange(min=1, max=50)],
        description="Caps your one-to-one meetings; small-group meetups come on top. "
        "Leave empty for the event's default.",
    )
    share_contact = BooleanField("Share my email address with the people I meet")

    def validate_interests(self, field):
        _, errors = parse_tags(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))

    def all_interests(self) -> list[str]:
        chosen = list(self.suggested_interests.data or [])
        typed, _ = parse_tags(self.interests.data or "")
        return chosen + [tag for tag in typed if tag not in chosen]

"""Account forms: shape only; rules live in services."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from matchmaker.forms import Form
from matchmaker.models.user import EMAIL_MAX, NAME_MAX

PASSWORD_MIN = 10
PASSWORD_MAX = 200


def _new_password(label) -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation (fresh fields, so each form keeps its order)."""
    password = PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Use %(min)d to %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    return password, confirm


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField(_l("Keep me logged in"))


class SignupForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(),
            Length(max=EMAIL_MAX),
            Email(
                message=_l("Enter an email address like ana@example.org."),
                check_deliverability=False,
            ),
        ],
    )


class ConfirmSignupForm(Form):
    """The owner of a new account's address names it and chooses its password."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    password, confirm = _new_password(_l("Choose a password"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=EMAIL_MAX)])


class NewPasswordForm(Form):
    password, confirm = _new_password(_l("New password"))

"""The base of every form: each text field is normalised (NFC) and refuses invisible control
and format characters, with a message beside the field (see matchmaker/text.py)."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField, TextAreaField, widgets

from matchmaker.text import clean_text


def _single_line(value):
    return clean_text(value) if isinstance(value, str) else value


def _multiline(value):
    return clean_text(value, multiline=True) if isinstance(value, str) else value


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # Passwords are kept exactly as typed: they are only hashed, never shown.
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                cleaner = _multiline if issubclass(field_class, TextAreaField) else _single_line
                filters = (cleaner, *unbound_field.kwargs.get("filters", ()))
                return unbound_field.bind(form=form, filters=filters, **options)
            return super().bind_field(form, unbound_field, options)


class CheckboxesField(SelectMultipleField):
    """Several choices, each a checkbox."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

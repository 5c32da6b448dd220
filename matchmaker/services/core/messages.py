"""Messages to people: what a mail is, who sends it, and its text from a template.

Services take a `Mailer` as an argument and never reach for the app (matchmaker/mailer.py
has the SMTP and log implementations; tests pass a recording one, tests/fakes.py). Bodies
are plain-text Jinja templates under templates/mail/.
"""

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from matchmaker import vocabulary
from matchmaker.catalogue import say, translations  # noqa: F401  (say: for the services)
from matchmaker.matcher_words import said_in
from matchmaker.written import written

TEMPLATES = Path(__file__).parents[2] / "templates" / "mail"


@functools.cache
def _environment(language: str | None) -> Environment:
    """The mail templates, in one language."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # Escapes HTML templates only: mail bodies are plain-text .txt templates.
        autoescape=select_autoescape(enabled_extensions=("html", "xml"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language), newstyle=True)
    catalogue = translations(language)
    env.filters["label"] = lambda value, of: catalogue.gettext(vocabulary.label(value, of))
    env.filters["written"] = lambda value, form="day": written(value, form, language)
    # The matcher's reasons and starters, as pages show them (`matcher_words`).
    env.filters["reasons_said"] = lambda lines: [said_in(language, line) for line in lines]
    env.globals.update(vocabulary.template_globals())
    return env


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    def send(self, message: Mail) -> None: ...


def render_mail(name: str, language: str | None = None, **context) -> str:
    """The body of mail template `name` (templates/mail/NAME.txt) in `language` (the
    reader's; None: English)."""
    return _environment(language).get_template(f"{name}.txt").render(**context)


@dataclass(frozen=True)
class Notice:
    """Where to tell people about a change of the published schedule."""

    mailer: Mailer
    schedule_link: str

"""Messages to people: what a mail is, who sends it, and its text from a template.

Services take a `Mailer` as an argument and never reach for the app (matchmaker/mailer.py
has the SMTP and log implementations; tests pass a recording one, tests/fakes.py). Bodies
are plain-text Jinja templates under templates/mail/.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from matchmaker import vocabulary

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parents[2] / "templates" / "mail"),
    # Escapes HTML templates only: mail bodies are plain-text .txt templates.
    autoescape=select_autoescape(enabled_extensions=("html", "xml"), default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_templates.filters["label"] = vocabulary.label
_templates.filters["small_group"] = vocabulary.small_group
_templates.globals.update(vocabulary.template_globals())


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


def render_mail(name: str, **context) -> str:
    """The body of mail template `name` (templates/mail/NAME.txt)."""
    return _templates.get_template(f"{name}.txt").render(**context)


@dataclass(frozen=True)
class Notice:
    """Where to tell people about a change of the published schedule."""

    mailer: Mailer
    schedule_link: str

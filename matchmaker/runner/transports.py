"""How the mail job sends: SMTP through Flask-Mail (one connection per batch), the log when
no server is configured, or a test's own recorder (app.extensions["mailer"])."""

import contextlib
import logging
from collections.abc import Callable, Iterator

from flask import current_app
from flask_mail import Message

from matchmaker.extensions import mail
from matchmaker.services.core.messages import Mail, Mailer
from matchmaker.services.core.outbox import Transport, one_by_one


class LogTransport:
    """Writes each mail to the log (development, or no MAIL_SERVER)."""

    def __init__(self, logger: logging.Logger):
        self.logger = logger

    def connection(self):
        return one_by_one(self._send)

    def _send(self, message: Mail) -> None:
        files = "".join(f"\n[attached: {a.filename}]" for a in message.attachments)
        self.logger.warning(
            "MAIL_SERVER is unset, so this mail was not sent.\nTo: %s\nSubject: %s\n\n%s%s",
            message.to,
            message.subject,
            message.body,
            files,
        )


class SmtpTransport:
    """Sends a batch through one connection to the configured server; a message it refuses
    raises, and the mail job tries it again later."""

    @contextlib.contextmanager
    def connection(self) -> Iterator[Callable[[Mail], None]]:
        with mail.connect() as connection:

            def send(message: Mail) -> None:
                sent = Message(subject=message.subject, recipients=[message.to], body=message.body)
                for file in message.attachments:
                    sent.attach(file.filename, file.content_type, file.data)
                connection.send(sent)

            yield send


class Custom:
    """A transport set by a test (anything with `send`)."""

    def __init__(self, mailer: Mailer):
        self.mailer = mailer

    def connection(self):
        return one_by_one(self.mailer.send)


def transport() -> Transport:
    """How the mail job sends: a test's own, SMTP when MAIL_SERVER is set, else the log."""
    if custom := current_app.extensions.get("mailer"):
        return Custom(custom)
    if current_app.config.get("MAIL_SERVER"):
        return SmtpTransport()
    return LogTransport(current_app.logger)

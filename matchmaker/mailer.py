"""Mail out of the app: SMTP through Flask-Mail, or the log when no server is configured.

Services never reach for the app: they take a `Mailer` argument, and views and commands pass
`current_mailer()`. Tests pass a `RecordingMailer` (tests/fakes.py).
"""

import logging
import smtplib

from flask import current_app
from flask_mail import Message

from matchmaker.boundary import MailAfterCommit
from matchmaker.extensions import mail
from matchmaker.services.core.messages import Mail, Mailer


class LogMailer:
    """Writes each mail to the log (development, or no MAIL_SERVER)."""

    def __init__(self, logger: logging.Logger):
        self.logger = logger

    def send(self, message: Mail) -> None:
        self.logger.warning(
            "MAIL_SERVER is unset, so this mail was not sent.\nTo: %s\nSubject: %s\n\n%s",
            message.to,
            message.subject,
            message.body,
        )


class SmtpMailer:
    """Sends through the configured server; one that refuses or cannot be reached is logged,
    not raised: the person sees the same page either way."""

    def __init__(self, logger: logging.Logger):
        self.logger = logger

    def send(self, message: Mail) -> None:
        try:
            mail.send(Message(subject=message.subject, recipients=[message.to], body=message.body))
        except (smtplib.SMTPException, OSError):
            self.logger.exception("Mail to %s could not be sent", message.to)


def current_mailer() -> Mailer:
    """The app's mailer, sending once the request's (or command's) transaction is committed:
    SMTP when MAIL_SERVER is set, else the log; a test may set its own as
    app.extensions["mailer"]."""
    return MailAfterCommit(_mailer())


def _mailer() -> Mailer:
    if custom := current_app.extensions.get("mailer"):
        return custom
    if current_app.config.get("MAIL_SERVER"):
        return SmtpMailer(current_app.logger)
    return LogMailer(current_app.logger)

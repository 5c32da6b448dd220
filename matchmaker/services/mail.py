"""Mail to people: through the configured server, or to the log when there is none."""

import smtplib

from flask import current_app
from flask_mail import Message

from matchmaker.extensions import mail


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text mail to one address, or write it to the log when MAIL_SERVER is
    unset. A server that refuses it or cannot be reached is logged, not raised: the person
    sees the same page either way."""
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.warning(
            "MAIL_SERVER is unset, so this mail was not sent.\nTo: %s\nSubject: %s\n\n%s",
            to,
            subject,
            body,
        )
        return
    try:
        mail.send(Message(subject=subject, recipients=[to], body=body))
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("Mail to %s could not be sent", to)

"""Forgotten passwords: a signed link by mail, good for one use within a time limit."""

from collections.abc import Callable

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from matchmaker.models import User
from matchmaker.services.core.messages import Mail, Mailer, render_mail, say
from matchmaker.services.errors import Gone
from matchmaker.services.people.accounts import check_password, find_user_by_email
from matchmaker.vocabulary import N_

LINK_USED = N_("This link was used already or its account has changed. Ask for a new one below.")
LINK_EXPIRED = N_("This link has expired. Ask for a new one below.")
LINK_WRONG = N_("This link is not complete or not ours. Ask for a new one below.")


class ResetLinkInvalid(Gone):
    """A password-reset link that is wrong, used or too old."""


RESET_SALT = "password-reset"


def _serializer(secret: str, salt: str = RESET_SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt)


CLAIM_SALT = "account-claim"
CLAIM_SECONDS = 14 * 24 * 3600


def reset_token(user: User, *, secret: str) -> str:
    """A link token to choose a new password; the fingerprint changes with the password, so
    the link works once."""
    return _serializer(secret).dumps({"user": user.id, "was": user.password_fingerprint()})


def claim_token(user: User, *, secret: str) -> str:
    """A link token for an imported person to choose their first password (once)."""
    return _serializer(secret, CLAIM_SALT).dumps(
        {"user": user.id, "was": user.password_fingerprint()}
    )


def send_reset_link(
    session: Session,
    *,
    email: str,
    secret: str,
    link_for: Callable[[str], str],
    hours: float,
    mailer: Mailer,
) -> None:
    """Mail a link to choose a new password to the account with this address, if any.
    Says nothing either way, so that nobody learns which addresses have accounts."""
    user = find_user_by_email(session, email)
    if user is None:
        return
    token = reset_token(user, secret=secret)
    mailer.send(
        Mail(
            to=user.email,
            subject=say(user.language, N_("Choose a new matchmaker password")),
            body=render_mail(
                "password_reset", user.language, user=user, link=link_for(token), hours=hours
            ),
        )
    )


def user_for_reset(
    session: Session, *, token: str, secret: str, max_age: int, salt: str = RESET_SALT
) -> User:
    """The account a reset (or claim) link belongs to; ResetLinkInvalid if it is wrong, old
    or used."""
    try:
        data = _serializer(secret, salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ResetLinkInvalid(LINK_EXPIRED) from None
    except BadSignature:
        raise ResetLinkInvalid(LINK_WRONG) from None
    user = session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or data.get("was") != user.password_fingerprint():
        raise ResetLinkInvalid(LINK_USED)
    return user


def reset_password(
    session: Session,
    *,
    token: str,
    secret: str,
    max_age: int,
    password: str,
    salt: str = RESET_SALT,
) -> User:
    """Set a new password through a reset (or claim) link, which then stops working."""
    user = user_for_reset(session, token=token, secret=secret, max_age=max_age, salt=salt)
    check_password(password, hints=[user.email, user.name])
    user.set_password(password)
    user.confirmation_pending = False  # the link came to the address: it is theirs
    session.flush()
    return user

"""Signing up without telling anyone which addresses have accounts: every sign-up gets the
same answer ("check your mail"). A new address gets a link to a page where its owner chooses
the account's password (so nobody can choose one for an address that is not theirs) and
confirms it; the owner of an address that has an account gets a mail saying someone tried,
with a way in."""

from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from matchmaker.models import Event, User
from matchmaker.services.core.messages import Mail, Mailer, render_mail, say
from matchmaker.services.errors import Gone, Invalid
from matchmaker.services.people.accounts import add_user, check_password, find_user_by_email
from matchmaker.services.people.attendance import add_profile, event_for_join_token
from matchmaker.vocabulary import N_

SALT = "confirm-sign-up"
CONFIRM_SECONDS = 7 * 24 * 3600
LINK_USED = N_("This link was used already: log in with your email address and password.")
LINK_EXPIRED = N_("This link has expired. Sign up again, or log in if you already have.")
LINK_WRONG = N_("This link is not complete or not ours.")


class ConfirmLinkInvalid(Gone):
    """A confirmation link that is wrong, used or too old."""


@dataclass(frozen=True)
class Links:
    """Where the mails point: the confirmation link for a new account (given its token), and
    for the owner of an existing account, where to log in and to choose a new password."""

    confirm: Callable[[str], str]
    login: str
    forgot: str


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


def begin_sign_up(
    session: Session,
    *,
    email: str,
    name: str,
    join_token: str | None,
    secret: str,
    mailer: Mailer,
    links: Links,
    language: str | None = None,
) -> None:
    """Sign up an organiser (join_token None) or an attendee through an event's join link.
    The same answer either way; a new account has no password and waits for the owner of
    its address to choose one on the page its confirmation link opens. A new account keeps
    `language` (the sign-up page's) for its pages and messages."""
    event = event_for_join_token(session, token=join_token) if join_token else None
    owner = find_user_by_email(session, email)
    if owner is not None:
        mailer.send(_someone_tried(owner, event, links, owner.language or language))
        return
    try:
        user = add_user(session, email=email, name=name, password=None, is_organiser=event is None)
    except Invalid:
        return  # the address was taken at this very moment: its owner was mailed by that one
    user.confirmation_pending = True
    user.language = language
    if event is not None:
        add_profile(session, event, user)
    session.flush()
    token = confirm_token(user, secret=secret, event=event)
    mailer.send(
        Mail(
            to=user.email,
            subject=say(language, N_("Confirm your address to finish signing up")),
            body=render_mail(
                "confirm_sign_up", language, user=user, event=event, link=links.confirm(token)
            ),
        )
    )


def confirm_token(user: User, *, secret: str, event: Event | None = None) -> str:
    """The token of the link that confirms a new account's address (and joins `event`)."""
    return _serializer(secret).dumps({"user": user.id, "event": event.id if event else None})


def _someone_tried(owner: User, event: Event | None, links: Links, language) -> Mail:
    return Mail(
        to=owner.email,
        subject=say(language, N_("Someone tried to sign up with your address")),
        body=render_mail("sign_up_again", language, user=owner, event=event,
                         login=links.login, forgot=links.forgot),
    )  # fmt: skip


def pending_sign_up(session: Session, *, token: str, secret: str) -> tuple[User, Event | None]:
    """The account (and the event it joins) that a confirmation link belongs to, while it
    waits for its password; ConfirmLinkInvalid if the link is wrong, old or used."""
    try:
        data = _serializer(secret).loads(token, max_age=CONFIRM_SECONDS)
    except SignatureExpired:
        raise ConfirmLinkInvalid(LINK_EXPIRED) from None
    except BadSignature:
        raise ConfirmLinkInvalid(LINK_WRONG) from None
    user = session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.confirmation_pending:
        raise ConfirmLinkInvalid(LINK_USED)
    event = session.get(Event, data["event"]) if data.get("event") else None
    return user, event


def confirm_sign_up(
    session: Session, *, token: str, secret: str, name: str, password: str
) -> tuple[User, Event | None]:
    """The owner of the address confirms it, with the name and the password they choose now;
    the link then stops working. ConfirmLinkInvalid if it is wrong, old or used; Invalid if
    the password is weak."""
    user, event = pending_sign_up(session, token=token, secret=secret)
    check_password(password, hints=[user.email, name])
    user.name = name.strip()
    user.set_password(password)
    user.confirmation_pending = False
    session.flush()
    return user, event

"""Signing up, logging in and making organisers."""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from matchmaker.catalogue import N_
from matchmaker.models import User
from matchmaker.models import user as user_model
from matchmaker.services.errors import Invalid

EMAIL_TAKEN = N_("An account with this email address already exists. Log in instead.")
BAD_LOGIN = N_("Email address or password is wrong.")
NOT_CONFIRMED = N_(
    "Confirm your address first: open the link we mailed you when you signed up "
    "(look in the spam folder too), or choose a new password to get a new link."
)
WEAK_PASSWORD = N_(
    "This password is among the most common ones or a simple pattern, so it is easy to "
    "guess. Add a few unusual words."
)


def check_password(password: str, *, hints: list[str]) -> None:
    """Refuse a password that is common or a simple pattern (zxcvbn's score 0 or 1: under
    a million guesses), or made of the person's own name or address."""
    if zxcvbn(password[:100], user_inputs=[h for h in hints if h])["score"] < 2:
        raise Invalid.field("password", WEAK_PASSWORD)


def find_user_by_email(session: Session, email: str) -> User | None:
    """The user with this email address, whatever its case, or None."""
    return session.scalar(sa.select(User).where(User.email == User.normalise_email(email)))


def add_user(
    session: Session, *, email: str, name: str, password: str | None, is_organiser: bool
) -> User:
    """Add a user (flush only); raise Invalid if the email address is taken (when another
    request took it at the same moment, after rolling the transaction back)."""
    if find_user_by_email(session, email) is not None:
        raise Invalid.field("email", EMAIL_TAKEN)
    user = User(email=User.normalise_email(email), name=name.strip(), is_organiser=is_organiser)
    if password is not None:
        check_password(password, hints=[email, name])
        user.set_password(password)
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        # The same address signed up in another request at the same moment.
        raise Invalid.field("email", EMAIL_TAKEN) from None
    return user


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user with this email and password; Invalid if either is wrong."""
    user = find_user_by_email(session, email)
    if user is None:
        # Hash anyway, so that the answer takes as long as for a wrong password and does not
        # tell which addresses have accounts.
        user_model.hash_password(password)
        raise Invalid.field("password", BAD_LOGIN)
    if not user.check_password(password):
        raise Invalid.field("password", BAD_LOGIN)
    if user.confirmation_pending:
        raise Invalid.field("email", NOT_CONFIRMED)
    return user


def create_organiser(session: Session, *, email: str, name: str, password: str) -> User:
    """Create an organiser, or make an existing user an organiser with this password."""
    user = find_user_by_email(session, email)
    if user is None:
        user = add_user(session, email=email, name=name, password=password, is_organiser=True)
    else:
        user.is_organiser = True
        user.set_password(password)
    session.flush()
    return user


def end_sessions(session: Session, *, user_id: int) -> None:
    """End every session of a user, on every device (at logout)."""
    user = session.get(User, user_id)
    if user is not None:
        user.session_version += 1
        session.flush()

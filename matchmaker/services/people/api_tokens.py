"""Organisers' tokens for the REST API: made with a name and a scope, shown once, kept as a
SHA-256 digest, revoked for good. A token acts for its organiser on the events they organise,
and stops working when they stop being an organiser."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import ApiToken, User
from matchmaker.models.api import TOKEN_NAME_MAX, TOKEN_SCOPES
from matchmaker.services.core import reads
from matchmaker.services.core.moments import aware
from matchmaker.services.errors import Forbidden, Invalid, NotFound
from matchmaker.text import clean_text

PREFIX = "mm_"  # a token's visible start: secret scanners and people recognise it
MOST_TOKENS = 20  # live tokens per organiser
# Writing the time of use on every call would make each read a write: once a minute is enough
# to tell on the settings page which tokens are in use.
USE_RECORDED_EVERY = timedelta(minutes=1)
MISSING = "There is no such token."
NOT_ORGANISER = "Only organisers have API tokens."


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def digest_of(secret: str) -> str:
    """The stored form of a token's secret."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session: Session, *, user: User, name: str, scope: str, now: datetime) -> NewToken:
    """A new token of the organiser's (flush only); Invalid naming the field when the name is
    empty or too long, the scope unknown, or they hold too many live tokens already."""
    if not user.is_organiser:
        raise Forbidden(NOT_ORGANISER)
    errors: dict[str, list[str]] = {}
    try:
        name = clean_text(" ".join((name or "").split()))
    except ValueError:
        errors["name"] = ["The name holds an invisible character: type it again."]
    if not errors and not name:
        errors["name"] = ["Give the token a name, such as the tool that will use it."]
    elif len(name) > TOKEN_NAME_MAX:
        errors["name"] = [f"A token's name has at most {TOKEN_NAME_MAX} characters."]
    if scope not in TOKEN_SCOPES:
        errors["scope"] = [f"The scope is one of: {', '.join(TOKEN_SCOPES)}."]
    if len(list_tokens(session, user_id=user.id)) >= MOST_TOKENS:
        errors["name"] = [f"You have {MOST_TOKENS} tokens already: revoke one you no longer use."]
    if errors:
        raise Invalid(errors)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        prefix=secret[: len(PREFIX) + 6],
        digest=digest_of(secret),
        created_at=now,
    )
    session.add(token)
    session.flush()
    return NewToken(token=token, secret=secret)


def list_tokens(session: Session, *, user_id: int) -> list[ApiToken]:
    """The organiser's tokens that still work, newest first."""
    return list(
        session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, *, user_id: int, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of the organiser's tokens for good (flush only); NotFound for a token that
    is not theirs or is revoked already."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id or token.revoked_at is not None:
        raise NotFound(MISSING)
    token.revoked_at = now
    session.flush()
    return token


def authenticate(session: Session, *, secret: str, now: datetime) -> ApiToken | None:
    """The live token with this secret, its organiser loaded, or None (unknown, revoked, or
    its owner no longer an organiser). Notes when it was used, at most once a minute."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(
        sa.select(ApiToken)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.digest == digest_of(secret),
            ApiToken.revoked_at.is_(None),
            User.is_organiser,
        )
    )
    if token is None:
        return None
    last = token.last_used_at
    if last is None or aware(last) <= now - USE_RECORDED_EVERY:
        with reads.writing(session) as writer:
            writer.execute(
                sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
            )
    return token

"""Who calls the API: an organiser's token in `Authorization: Bearer …`, checked before every
view of the API's blueprints, with a rate limit per token."""

import hashlib
from datetime import UTC, datetime

from flask import g, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import Forbidden, Unauthorized

from matchmaker.extensions import db
from matchmaker.services.core import access
from matchmaker.services.people import api_tokens

# Per token: far above what an integration needs, far below what would slow the site.
CALLS_PER_TOKEN = "300 per minute;10000 per hour"
READING = ("GET", "HEAD", "OPTIONS")
NO_TOKEN = "Send an organiser's API token as 'Authorization: Bearer <token>'."
BAD_TOKEN = "The token is unknown or has been revoked."
READ_ONLY = "This token may only read: make a token with the write scope to change anything."


class TokenMissing(Unauthorized):
    """401 with the challenge the caller should answer (RFC 6750)."""

    def get_headers(self, environ=None, scope=None):
        return [("WWW-Authenticate", 'Bearer realm="matchmaker"')]


def _secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def token_key() -> str:
    """The rate limit's key: the token sent (a digest: no secret is kept in the counters),
    or the network address for calls without one."""
    secret = _secret()
    if secret is None:
        return "api-address:" + get_remote_address()
    return "api-token:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def require_token() -> None:
    """A before-request hook of the API's blueprints: a live token of an organiser, with the
    write scope for anything but reading; the event in the path must be theirs (404 as for
    an event that does not exist)."""
    secret = _secret()
    if secret is None:
        raise TokenMissing(NO_TOKEN)
    token = api_tokens.authenticate(db.session, secret=secret, now=datetime.now(UTC))
    if token is None:
        raise TokenMissing(BAD_TOKEN)
    if request.method not in READING and not token.can_write:
        raise Forbidden(READ_ONLY)
    g.api_token = token
    event_id = (request.view_args or {}).get("event_id")
    if event_id is not None:
        g.event = access.organised_event(db.session, event_id=event_id, actor_id=token.user_id)

"""Fixtures of the API tests: tokens, and a client that sends one."""

from datetime import UTC, datetime

import pytest

from matchmaker.services.people import api_tokens
from tests.web.test_route_table import world  # noqa: F401  (the route tables' shared world)


def make_token(session, user, scope="write", name="tool") -> str:
    """A token of `user`'s, committed; its secret."""
    made = api_tokens.create_token(
        session, user=user, name=name, scope=scope, now=datetime.now(UTC)
    )
    session.commit()
    return made.secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def call(app):
    """`call(method, path, secret, **kwargs)`: a request with the token, from a fresh client."""

    def send(method: str, path: str, secret: str | None, **kwargs):
        client = app.test_client()
        headers = dict(kwargs.pop("headers", {}))
        if secret:
            headers.update(bearer(secret))
        return client.open(path, method=method, headers=headers, **kwargs)

    return send

"""Fixtures of the web tests."""

import pytest

from tests.web.live import serve


@pytest.fixture
def server(database_url):
    """gunicorn serving the app on the test's database; its base URL."""
    yield from serve(database_url)

"""Full links to the app's pages, for mail and calendars: built from the configured base URL,
in a request, a command or a background job alike."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """A full link for mail: the configured base URL, never the request's Host header (in
    development and tests without one, the request's host, which TRUSTED_HOSTS limits)."""
    base = current_app.config["MATCHMAKER_BASE_URL"]
    if not has_request_context():  # a command or a worker: build as if asked at the base URL
        with current_app.test_request_context(base_url=base or "http://localhost"):
            return url_for(endpoint, _external=True, **values)
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)

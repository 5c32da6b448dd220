"""Errors of the API as problem details (RFC 9457): `application/problem+json` with the HTTP
status's phrase as title, a sentence for people as detail, and per-field messages under
`errors` when the input broke a rule."""

import json
from http import HTTPStatus

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"
# Headers an error keeps (its own Content-Type is replaced by the problem's).
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def wants_problem() -> bool:
    """Whether the request is the API's, whose errors are problem details, not pages."""
    return request.path.startswith(API_PREFIX)


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """A problem details answer; `type` is about:blank, so `title` is the status's phrase."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE
    )
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_error(error: HTTPException) -> Response:
    """An HTTP error raised under the API (by routing, webargs, the limiter or a view) as
    problem details; 304 Not Modified stays an empty answer with its ETag."""
    if error.code == 304:
        response = current_app.response_class(status=304)
        etags = request.if_none_match.as_set() if request.if_none_match else set()
        if len(etags) == 1:
            response.set_etag(next(iter(etags)))
        return response
    headers = {k: v for k, v in error.get_headers() if k in KEPT_HEADERS}
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if errors and set(errors) <= {"json", "query", "headers", "path", "form"}:
        # webargs names where the bad input was: flatten to the fields themselves
        errors = {field: msgs for place in errors.values() for field, msgs in place.items()}
    if error.code == 429:
        headers.setdefault("Retry-After", "60")
    detail = data.get("message") or error.description
    if error.code == 422:
        detail = "The request's input is not valid: see errors for each field."
    return problem(error.code or 500, detail, errors=errors, headers=headers)

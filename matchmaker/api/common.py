"""What every blueprint of the API shares: the token check, the rate limit per token, errors
as problem details, and paging."""

from flask import g
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException, default_exceptions

from matchmaker.api import auth
from matchmaker.extensions import csrf, db, limiter
from matchmaker.problems import from_http_error
from matchmaker.services.introductions import meeting_list


def meetings_of(run_id: int | None, pagination_parameters) -> list:
    """One page of a run's meetings (the published schedule's for None), the total noted
    for the `X-Pagination` header."""
    found, total = meeting_list.meetings_page(
        db.session,
        event=g.event,
        run_id=run_id,
        page=pagination_parameters.page,
        per_page=pagination_parameters.page_size,
    )
    pagination_parameters.item_count = total
    return found


class ApiBlueprint(Blueprint):
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 100}


def api_blueprint(name: str, description: str) -> Blueprint:
    """A blueprint of the API: token required, rate-limited per token, no CSRF (no cookie is
    read), every error as problem details."""
    blp = ApiBlueprint(name, __name__, description=description)
    blp.before_request(auth.require_token)
    # By code as well: Flask prefers the app's handler for a code to a blueprint's for a class.
    for code in default_exceptions:
        blp.register_error_handler(code, from_http_error)
    blp.register_error_handler(HTTPException, from_http_error)
    csrf.exempt(blp)
    limiter.limit(auth.CALLS_PER_TOKEN, key_func=auth.token_key)(blp)
    return blp

"""The API's place in the app: the OpenAPI document at /api/v1/openapi.json, its page for
people at /api/v1/docs, and the resources' blueprints under /api/v1."""

import http

from flask import Blueprint, Flask, current_app, render_template
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from matchmaker import problems
from matchmaker.api import attendees, events, meetings, runs
from matchmaker.api.schemas import ProblemSchema

PREFIX = "/api/v1"
EXTENSION = "matchmaker-api"
DESCRIPTION = """\
The REST API of matchmaker, for organisers' tools. Every call sends an organiser's token
(made on the organiser's "API tokens" page, or with `flask api-token create`) as
`Authorization: Bearer <token>`; a token with the read scope reads, one with the write scope
also invites attendees, starts runs and publishes. A token sees only the events its organiser
organises: any other event is 404, as one that does not exist.

Lists are paged with `page` and `page_size` (at most 100); the `X-Pagination` header says
where the page is. Every read answers with an `ETag`: send it back as `If-None-Match` and an
unchanged answer is 304 with no body. Errors are problem details (RFC 9457,
`application/problem+json`), with the fields that were wrong under `errors`. Each token may
make 300 calls a minute; past that the answer is 429 with `Retry-After`.
"""


class MatchmakerApi(Api):
    """flask-smorest's Api, whose errors are answered by the API's own blueprints (problem
    details) rather than for the whole app (which answers with pages)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        return None

    def _register_responses(self):
        """Every error documented as problem details, with their media type."""
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem details", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


docs = Blueprint("api_docs", __name__)


def spec() -> dict:
    """The app's OpenAPI document."""
    return current_app.extensions[EXTENSION].spec.to_dict()


def _ref_name(schema: dict) -> str:
    """A schema's name for people: the component it refers to, or its type."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_ref_name(schema.get('items', {}))}"
    kind = schema.get("type", "")
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def _operations(document: dict) -> dict[str, list[dict]]:
    """The document's operations by tag, each with its parameters and answers in plain
    words."""
    parameters = document.get("components", {}).get("parameters", {})
    by_tag: dict[str, list[dict]] = {}
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in ("get", "post", "put", "patch", "delete"):
            operation = item.get(method)
            if operation is None:
                continue
            params = []
            for param in shared + operation.get("parameters", []):
                if "$ref" in param:
                    param = parameters[param["$ref"].rsplit("/", 1)[-1]]
                params.append(
                    {
                        "name": param["name"],
                        "where": param["in"],
                        "type": _ref_name(param.get("schema", {})),
                        "description": param.get("description", ""),
                    }
                )
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            answers = []
            for status, answer in sorted(operation.get("responses", {}).items()):
                if "$ref" in answer:
                    continue  # the errors every operation shares, listed once on the page
                content = next(iter(answer.get("content", {}).values()), {})
                answers.append(
                    {
                        "status": status,
                        "description": answer.get("description", ""),
                        "schema": _ref_name(content.get("schema", {})) if content else "",
                    }
                )
            by_tag.setdefault(operation.get("tags", ["other"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": params,
                    "body": _ref_name(body["schema"]) if body else "",
                    "answers": answers,
                }
            )
    return by_tag


def _schemas(document: dict) -> list[dict]:
    """The document's schemas, each with its fields in plain words."""
    found = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {
                "name": field,
                "type": _ref_name(spec_of),
                "required": field in required,
                "description": spec_of.get("description", "")
                or (f"one of: {', '.join(map(str, spec_of['enum']))}" if "enum" in spec_of else ""),
            }
            for field, spec_of in schema.get("properties", {}).items()
        ]
        found.append({"name": name, "description": schema.get("description", ""),
                      "fields": fields})  # fmt: skip
    return found


@docs.get(f"{PREFIX}/docs")
def reference():
    """The OpenAPI document as a page for people (no script, no outside assets)."""
    document = spec()
    return render_template(
        "api/docs.html",
        info=document["info"],
        tags={t["name"]: t.get("description", "") for t in document.get("tags", [])},
        operations=_operations(document),
        schemas=_schemas(document),
    )


def init_api(app: Flask) -> None:
    """Register the API with the app."""
    app.config.update(
        API_TITLE="matchmaker",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = MatchmakerApi(
        spec_kwargs={
            "info": {"description": DESCRIPTION},
            "servers": [{"url": "/"}],
            "security": [{"token": []}],
        }
    )
    api.init_app(app)
    app.extensions[EXTENSION] = api
    api.spec.components.security_scheme(
        "token",
        {"type": "http", "scheme": "bearer", "description": "An organiser's API token."},
    )
    for blueprint in (events.blp, attendees.blp, runs.blp, meetings.blp):
        api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.register_blueprint(docs)

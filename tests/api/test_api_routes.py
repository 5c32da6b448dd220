"""Every route of the API, walked from `app.url_map`, for every kind of caller: the five roles
of the site (whose sessions the API ignores), and tokens: the organiser's with the write
scope, with the read scope, another organiser's, a revoked one. A refused call changes
nothing. A new API route without an entry here fails the suite."""

import os
from datetime import UTC, datetime

import pytest

from matchmaker import create_app, runner
from matchmaker.services.people import accounts, api_tokens
from tests import factories
from tests.api.conftest import bearer
from tests.web.test_route_table import API_BLUEPRINTS, LOGINS, ROLES, _snapshot, _url

CALLERS = ("owner write", "owner read", "other organiser", "revoked")
UNAUTHORIZED = (401,) * len(ROLES)

# (endpoint, method): what each token gets, in the order of CALLERS.
TABLE = {
    ("events.events", "GET"): (200, 200, 200, 401),
    ("events.event", "GET"): (200, 200, 404, 401),
    ("events.slots", "GET"): (200, 200, 404, 401),
    ("events.locations", "GET"): (200, 200, 404, 401),
    ("attendees.attendees", "GET"): (200, 200, 404, 401),
    ("attendees.put_attendee", "POST"): (201, 403, 404, 401),
    ("attendees.attendee", "GET"): (200, 200, 404, 401),
    ("attendees.profiles", "GET"): (200, 200, 404, 401),
    ("attendees.profile", "GET"): (200, 200, 404, 401),
    ("runs.runs", "GET"): (200, 200, 404, 401),
    ("runs.start_run", "POST"): (202, 403, 404, 401),
    ("runs.run", "GET"): (200, 200, 404, 401),
    ("runs.plan", "GET"): (200, 200, 404, 401),
    ("runs.publish_run", "POST"): (200, 403, 404, 401),
    # Nothing is published in this world.
    ("meetings.meetings", "GET"): (404, 404, 404, 401),
    ("meetings.meeting", "GET"): (404, 404, 404, 401),
    ("meetings.answers", "GET"): (404, 404, 404, 401),
}
BODIES = {"attendees.put_attendee": {"email": "new-api@example.org", "name": "New Person"}}


def _routes():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in API_BLUEPRINTS
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    )


ROUTES = _routes()


def test_every_api_route_has_an_entry_and_every_entry_a_route():
    assert sorted({(e, m) for e, m, _ in ROUTES} ^ set(TABLE)) == []


@pytest.fixture
def tokens(session, world):
    owner = accounts.find_user_by_email(session, "org@example.org")
    other = accounts.find_user_by_email(session, "other@example.org")
    now = datetime.now(UTC)
    made = {
        "owner write": api_tokens.create_token(session, user=owner, name="w", scope="write",
                                               now=now),
        "owner read": api_tokens.create_token(session, user=owner, name="r", scope="read",
                                              now=now),
        "other organiser": api_tokens.create_token(session, user=other, name="o",
                                                   scope="write", now=now),
        "revoked": api_tokens.create_token(session, user=owner, name="x", scope="write",
                                           now=now),
    }  # fmt: skip
    api_tokens.revoke_token(session, user_id=owner.id, token_id=made["revoked"].token.id, now=now)
    session.commit()
    return {caller: m.secret for caller, m in made.items()}


def _ids(world):
    return dict(world, attendee_id=world["profile_id"])


def _send(client, method, url, endpoint, headers):
    if method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, json=BODIES.get(endpoint, {}), headers=headers)


@pytest.mark.parametrize("endpoint,method,rule", ROUTES)
def test_each_token_gets_what_the_table_says(app, session, world, tokens, endpoint, method,
                                             rule):  # fmt: skip
    url = _url(rule, endpoint, _ids(world))
    got = []
    for caller in reversed(CALLERS):  # the writing owner last: refusals first, on a clean world
        before = _snapshot(session)
        response = _send(app.test_client(), method, url, endpoint, bearer(tokens[caller]))
        runner.wait_for_threads()
        got.insert(0, response.status_code)
        if response.status_code >= 400:
            assert _snapshot(session) == before, f"{caller} changed something"
            assert response.content_type == "application/problem+json"
    if os.environ.get("MATCHMAKER_ROUTE_TABLE") == "print":
        print(f'    ("{endpoint}", "{method}"): {tuple(got)},')
    assert tuple(got) == TABLE[(endpoint, method)]


@pytest.mark.parametrize("endpoint,method,rule", ROUTES)
def test_the_sites_logins_are_not_api_credentials(app, session, world, endpoint, method,
                                                  rule):  # fmt: skip
    url = _url(rule, endpoint, _ids(world))
    got = []
    for k, role in enumerate(ROLES):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{k + 1}"
        if role in LOGINS:
            factories.login(client, LOGINS[role])
        before = _snapshot(session)
        got.append(_send(client, method, url, endpoint, {}).status_code)
        assert _snapshot(session) == before
    assert tuple(got) == UNAUTHORIZED


CHILD_ROUTES = [
    (endpoint, method, rule)
    for endpoint, method, rule in ROUTES
    if "<int:event_id>" in rule and rule.count("<int:") == 2
]


@pytest.mark.parametrize("endpoint,method,rule", CHILD_ROUTES)
def test_ids_of_one_event_under_the_address_of_another_are_404(
    app, session, world, tokens, endpoint, method, rule
):
    # The organiser organises both events: a run or attendee of one is still not found under
    # the other's address.
    before = _snapshot(session)
    url = _url(rule, endpoint, _ids(dict(world, event_id=world["mine_too"])))

    response = _send(app.test_client(), method, url, endpoint, bearer(tokens["owner write"]))

    assert response.status_code == 404
    assert _snapshot(session) == before

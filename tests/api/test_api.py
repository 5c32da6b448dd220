"""The REST API through its HTTP interface: tokens, scopes, paging, ETags, problem details,
and each resource calling the same services as the pages."""

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from openapi_spec_validator import validate

from matchmaker import runner
from matchmaker.extensions import db
from matchmaker.models import ApiToken, AttendeeImport, MatchRun, Profile, User
from matchmaker.services.core.messages import Notice
from matchmaker.services.introductions import answers
from matchmaker.services.people import api_tokens
from matchmaker.services.planning import matching
from tests import factories
from tests.api.conftest import make_token
from tests.fakes import RecordingMailer

PROBLEM = "application/problem+json"


def test_the_openapi_document_is_valid_openapi_3_1_and_names_every_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()

    validate(document)  # raises on any fault; 3.1 by the document's own "openapi"
    assert document["openapi"] == "3.1.0"
    routes = {
        rule.rule.replace("<int:", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("events", "attendees", "runs", "meetings")
    }
    assert set(document["paths"]) == routes
    assert document["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An organiser's API token.",
    }
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == [PROBLEM]


def test_the_reference_page_lists_every_operation_for_people(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)

    assert "<code>POST /api/v1/events/{event_id}/attendees</code>" in page
    assert "<code>GET /api/v1/events/{event_id}/runs/{run_id}/meetings</code>" in page
    assert 'id="schema-AttendeeIn"' in page
    assert "<script" not in page


def test_no_token_a_wrong_one_and_a_revoked_one_are_401_problems(app, session, call):
    owner = factories.organiser(session)
    secret = make_token(session, owner)
    token_id = session.scalar(sa.select(ApiToken.id))

    missing = call("GET", "/api/v1/events", None)
    wrong = call("GET", "/api/v1/events", "mm_not-a-token")
    basic = call("GET", "/api/v1/events", None, headers={"Authorization": "Basic eDp5"})
    api_tokens.revoke_token(session, user_id=owner.id, token_id=token_id, now=datetime.now(UTC))
    session.commit()
    revoked = call("GET", "/api/v1/events", secret)

    for answer in (missing, wrong, basic, revoked):
        assert answer.status_code == 401
        assert answer.content_type == PROBLEM
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="matchmaker"'
    assert missing.get_json() == {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": "Send an organiser's API token as 'Authorization: Bearer <token>'.",
        "instance": "/api/v1/events",
    }
    assert revoked.get_json()["detail"] == "The token is unknown or has been revoked."


def test_a_token_stops_working_when_its_owner_is_no_longer_an_organiser(session, call):
    owner = factories.organiser(session)
    secret = make_token(session, owner)
    owner.is_organiser = False
    session.commit()

    assert call("GET", "/api/v1/events", secret).status_code == 401


def test_only_a_digest_of_the_secret_is_stored(session):
    owner = factories.organiser(session)
    secret = make_token(session, owner, name="shop")
    token = session.scalar(sa.select(ApiToken))

    assert secret.startswith("mm_") and len(secret) == 46
    assert secret not in [token.digest, token.prefix, token.name]
    assert token.digest == api_tokens.digest_of(secret)
    assert token.prefix == secret[:9]


def test_events_are_the_organisers_own_paged_with_an_etag(session, call):
    owner = factories.organiser(session)
    mine = [factories.event(session, owner, name=f"Mine {k}") for k in range(3)]
    other = factories.organiser(session, email="other@example.org")
    factories.event(session, other, name="Theirs")
    secret = make_token(session, owner, scope="read")

    first = call("GET", "/api/v1/events?page_size=2", secret)
    second = call("GET", "/api/v1/events?page=2&page_size=2", secret)

    assert first.status_code == 200
    assert [e["name"] for e in first.get_json()] == ["Mine 0", "Mine 1"]
    assert [e["name"] for e in second.get_json()] == ["Mine 2"]
    assert json.loads(first.headers["X-Pagination"]) == {
        "total": 3, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 1, "next_page": 2,
    }  # fmt: skip
    etag = first.headers["ETag"]
    unchanged = call("GET", "/api/v1/events?page_size=2", secret,
                     headers={"If-None-Match": etag})  # fmt: skip
    assert unchanged.status_code == 304
    assert unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == etag
    mine[0].name = "Renamed"
    session.commit()
    changed = call("GET", "/api/v1/events?page_size=2", secret, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()[0]["name"] == "Renamed"


def test_another_organisers_event_is_404_as_a_missing_one(session, call):
    owner = factories.organiser(session)
    other = factories.organiser(session, email="other@example.org")
    theirs = factories.event(session, other, name="Theirs")
    secret = make_token(session, owner)

    hidden = call("GET", f"/api/v1/events/{theirs.id}", secret)
    missing = call("GET", "/api/v1/events/999999", secret)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content_type == PROBLEM
    assert hidden.get_json()["detail"] == missing.get_json()["detail"] == "There is no such event."


def test_slots_and_locations_carry_the_events_times_and_kinds(session, call):
    owner = factories.organiser(session)
    ev, _ = factories.matchable_event(session, owner, people=2, tables=1, rooms=1)
    secret = make_token(session, owner, scope="read")

    slots = call("GET", f"/api/v1/events/{ev.id}/slots", secret).get_json()
    locations = call("GET", f"/api/v1/events/{ev.id}/locations", secret).get_json()

    assert slots[0] == {
        "id": ev.slots[0].id,
        "starts_at": "2030-05-14T09:00:00+02:00",
        "ends_at": "2030-05-14T09:20:00+02:00",
        "format": "one_to_one",
        "label": "",
    }
    assert [(loc["name"], loc["capacity"], loc["kind"]) for loc in locations] == [
        ("Room", 4, "room"),
        ("Table", 2, "table"),
    ]


def test_creating_an_attendee_invites_them_as_the_csv_import_does(app, session, call):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    secret = make_token(session, owner)
    app.extensions["mailer"] = mailer = RecordingMailer()
    body = {
        "email": "Bea@Example.org",
        "name": "Bea Blue",
        "company": "Blue Ltd",
        "interests": ["rust", "web"],
        "seeks": ["mentorship"],
    }

    created = call("POST", f"/api/v1/events/{ev.id}/attendees", secret, json=body)
    runner.wait_for_threads()

    assert created.status_code == 201
    profile = session.scalar(sa.select(Profile).where(Profile.event_id == ev.id))
    assert created.get_json() == {
        "email": "bea@example.org",
        "action": "invited",
        "attendee_id": profile.id,
    }
    assert (profile.name, profile.company, [t.name for t in profile.tags]) == (
        "Bea Blue", "Blue Ltd", ["rust", "web"],
    )  # fmt: skip
    assert profile.intent_names("seeks") == ["mentorship"]
    assert [m.to for m in mailer.sent] == ["bea@example.org"]
    assert mailer.sent[0].subject == "Invitation to “PyCon Test” on matchmaker"
    assert "/claim/" in mailer.sent[0].body
    assert session.scalar(sa.select(AttendeeImport.filename)) == "API"

    body["company"] = "Green Ltd"
    updated = call("POST", f"/api/v1/events/{ev.id}/attendees", secret, json=body)
    runner.wait_for_threads()

    assert updated.status_code == 200
    assert updated.get_json()["action"] == "updated"
    session.expire_all()
    assert profile.company == "Green Ltd"
    assert len(mailer.sent) == 1  # an update sends nothing


def test_an_attendee_who_filled_their_profile_is_kept_as_they_wrote_it(session, call):
    owner = factories.organiser(session)
    ev, profiles = factories.matchable_event(session, owner, people=2)
    secret = make_token(session, owner)
    email = profiles[0].user.email
    company = profiles[0].company

    kept = call("POST", f"/api/v1/events/{ev.id}/attendees", secret,
                json={"email": email, "name": "Someone Else", "company": "Changed"})  # fmt: skip

    assert kept.status_code == 200
    assert kept.get_json() == {"email": email, "action": "kept", "attendee_id": profiles[0].id}
    session.expire_all()
    assert profiles[0].company == company


def test_bad_attendee_input_names_every_field_and_writes_nothing(session, call):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    secret = make_token(session, owner)

    bad = call("POST", f"/api/v1/events/{ev.id}/attendees", secret,
               json={"email": "nope", "seeks": ["money"], "extra": 1})  # fmt: skip

    assert bad.status_code == 422
    assert bad.content_type == PROBLEM
    assert bad.get_json()["errors"] == {
        "email": ["Not a valid email address."],
        "name": ["Missing data for required field."],
        "seeks": {"0": ["Must be one of: mentorship, jobs, knowledge, collaboration, business."]},
        "extra": ["Unknown field."],
    }
    assert session.scalar(sa.select(sa.func.count(User.id))) == 1
    hidden_character = call("POST", f"/api/v1/events/{ev.id}/attendees", secret,
                            json={"email": "a@example.org", "name": "A\u202eB"})  # fmt: skip
    assert hidden_character.status_code == 400
    assert hidden_character.get_json()["errors"] == {
        "name": ["name holds the invisible character U+202E"]
    }
    assert session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_a_read_only_token_reads_but_changes_nothing(session, call):
    owner = factories.organiser(session)
    ev, _ = factories.matchable_event(session, owner, people=2)
    secret = make_token(session, owner, scope="read")

    listed = call("GET", f"/api/v1/events/{ev.id}/attendees", secret)
    refused = call("POST", f"/api/v1/events/{ev.id}/runs", secret)

    assert listed.status_code == 200
    assert refused.status_code == 403
    assert refused.get_json()["detail"].startswith("This token may only read")
    assert session.scalar(sa.select(sa.func.count(MatchRun.id))) == 0


def test_attendees_and_profiles_are_searched_as_on_the_attendees_page(session, call):
    owner = factories.organiser(session)
    ev, profiles = factories.matchable_event(session, owner, people=3)
    secret = make_token(session, owner, scope="read")
    email = profiles[1].user.email

    found = call("GET", f"/api/v1/events/{ev.id}/attendees?q={email}", secret)
    profile = call("GET", f"/api/v1/events/{ev.id}/profiles/{profiles[1].id}", secret)
    listed = call("GET", f"/api/v1/events/{ev.id}/profiles?page_size=2", secret)

    assert [a["email"] for a in found.get_json()] == [email]
    assert found.get_json()[0] == {
        "id": profiles[1].id,
        "name": profiles[1].name,
        "email": email,
        "company": profiles[1].company,
        "headline": profiles[1].headline,
        "profile_filled": True,
        "hidden": False,
        "meetings": 0,
    }
    assert profile.get_json()["interests"] == [t.name for t in profiles[1].tags]
    assert profile.get_json()["available_slot_ids"] == sorted(s.id for s in ev.slots)
    assert len(listed.get_json()) == 2
    assert json.loads(listed.headers["X-Pagination"])["total"] == 3


def test_a_run_is_started_followed_and_published_through_the_api(app, session, call):
    owner = factories.organiser(session)
    ev, profiles = factories.matchable_event(session, owner, people=4)
    secret = make_token(session, owner)

    started = call("POST", f"/api/v1/events/{ev.id}/runs", secret)
    runner.wait_for_threads()
    again = call("POST", f"/api/v1/events/{ev.id}/runs", secret)  # the first is done by now

    assert started.status_code == 202
    run_id = started.get_json()["id"]
    assert started.headers["Location"] == f"/api/v1/events/{ev.id}/runs/{run_id}"
    status = call("GET", started.headers["Location"], secret).get_json()
    assert (status["status"], status["progress"], status["published"]) == ("done", 100, False)
    assert again.status_code == 202
    runner.wait_for_threads()

    plan = call("GET", f"/api/v1/events/{ev.id}/runs/{run_id}/meetings?page_size=100", secret)
    assert plan.status_code == 200
    meetings = plan.get_json()
    assert meetings and {m["state"] for m in meetings} == {"planned"}
    assert all(m["answers"] is None for m in meetings)
    assert call("GET", f"/api/v1/events/{ev.id}/meetings", secret).status_code == 404

    published = call("POST", f"/api/v1/events/{ev.id}/runs/{run_id}/publish", secret)
    runner.wait_for_threads()
    twice = call("POST", f"/api/v1/events/{ev.id}/runs/{run_id}/publish", secret)

    assert published.status_code == 200
    assert published.get_json()["published"] is True
    assert twice.status_code == 409
    assert twice.content_type == PROBLEM
    schedule = call("GET", f"/api/v1/events/{ev.id}/meetings?page_size=100", secret).get_json()
    assert [m["id"] for m in schedule] == [m["id"] for m in meetings]
    assert {m["state"] for m in schedule} == {"waiting"}
    one = next(m for m in schedule if m["kind"] == "one_to_one")
    assert one["answers"] == {"accepted": 0, "waiting": 2}
    answers = call("GET", f"/api/v1/events/{ev.id}/answers", secret).get_json()
    assert answers["declined"] == 0 and answers["pending"] == answers["proposals"] * 2


def test_starting_a_run_with_nothing_to_plan_is_400_naming_what_is_missing(session, call):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    secret = make_token(session, owner)

    refused = call("POST", f"/api/v1/events/{ev.id}/runs", secret)

    assert refused.status_code == 400
    assert refused.get_json()["errors"] == {
        "slots": ["Add time slots before running matching."],
        "locations": ["Add tables or rooms before running matching."],
        "profiles": ["At least two attendees must fill in their profiles first."],
    }


def test_a_decline_is_counted_never_told_whose(session, call):
    owner = factories.organiser(session)
    ev, profiles = factories.published_event(session, owner, people=4, group_slots=0)
    secret = make_token(session, owner, scope="read")
    meeting = next(
        m
        for m in matching.run_meetings(session, run_id=ev.published_run_id)
        if m.kind == "one_to_one"
    )
    seat = meeting.seats[0]
    answers.respond(session, slug=ev.slug, user_id=seat.profile.user_id, meeting_id=meeting.id,
                    accept=False, now=factories.PUBLISHED_AT,
                    notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    session.commit()

    got = call("GET", f"/api/v1/events/{ev.id}/meetings/{meeting.id}", secret).get_json()
    text = json.dumps(call("GET", f"/api/v1/events/{ev.id}/meetings?page_size=100",
                           secret).get_json())  # fmt: skip

    assert got["state"] == "not taking place"
    assert got["answers"] is None
    assert sorted(got["attendee_ids"]) == sorted(s.profile_id for s in meeting.seats)
    assert "declined" not in text and "note" not in text and "rating" not in text


def test_unknown_paths_and_methods_under_the_api_are_problems(session, call):
    owner = factories.organiser(session)
    secret = make_token(session, owner)

    missing = call("GET", "/api/v1/nothing-here", secret)
    method = call("DELETE", "/api/v1/events", secret)

    assert (missing.status_code, missing.content_type) == (404, PROBLEM)
    assert (method.status_code, method.content_type) == (405, PROBLEM)
    assert "GET" in method.headers["Allow"]


def test_calls_past_the_rate_limit_are_429_for_that_token_only(app, session, call, monkeypatch):
    owner = factories.organiser(session)
    busy = make_token(session, owner, name="busy")
    calm = make_token(session, owner, name="calm")
    from matchmaker.api import auth

    limit = int(auth.CALLS_PER_TOKEN.split(" ")[0])
    answers = [call("GET", "/api/v1/events", busy).status_code for _ in range(limit + 1)]

    assert answers[:limit] == [200] * limit
    assert answers[limit] == 429
    last = call("GET", "/api/v1/events", busy)
    assert last.content_type == PROBLEM and "Retry-After" in last.headers
    assert call("GET", "/api/v1/events", calm).status_code == 200


# Each list reads in a fixed number of queries, the same for 6 attendees as for 30: the
# token (its use noted on the first call), the event, the count, the page, and what each row
# needs, all rows at once.
API_LISTS = {
    "/api/v1/events/{event}/attendees?page_size=100": 7,
    "/api/v1/events/{event}/profiles?page_size=100": 9,
    "/api/v1/events/{event}/runs/{run}/meetings?page_size=100": 8,
    "/api/v1/events/{event}/meetings?page_size=100": 7,
}


@pytest.mark.parametrize("people", [6, 30])
def test_lists_read_in_a_fixed_number_of_queries(session, call, people):
    owner = factories.organiser(session)
    ev, _ = factories.published_event(session, owner, people=people, tables=people // 2)
    secret = make_token(session, owner, scope="read")
    names = dict(event=ev.id, run=ev.published_run_id)
    counts = {}
    for path in API_LISTS:
        count = [0]

        def counted(*_args, count=count):
            count[0] += 1

        sa.event.listen(db.engine, "before_cursor_execute", counted)
        try:
            answer = call("GET", path.format(**names), secret)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counted)
        assert answer.status_code == 200
        counts[path] = count[0]

    assert counts == API_LISTS

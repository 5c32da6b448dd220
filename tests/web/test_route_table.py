"""Every route of the app, walked from `app.url_map`, for the five roles: what each gets is
in the table below, and a refused request changes nothing. A new route without an entry in
the table fails the suite (MATCHMAKER_ROUTE_TABLE=print prints what each role gets now)."""

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker import create_app, runner
from matchmaker.models import (
    ApiToken,
    AttendeeImport,
    DayCheck,
    Event,
    ExportJob,
    Location,
    MatchRun,
    Meeting,
    PairRuleRow,
    PretixConnection,
    Profile,
    Slot,
    User,
    Webhook,
)
from matchmaker.services.core import webhooks
from matchmaker.services.people import accounts, api_tokens, passwords, signups
from matchmaker.services.planning import matching, pair_rules
from matchmaker.services.schedules import published
from matchmaker.services.setup import imports
from tests import factories

ROLES = (
    "anonymous",
    "attendee here",
    "attendee elsewhere",
    "organiser here",
    "organiser elsewhere",
)
LOGIN = "login"  # a redirect to the login page
PAST = datetime(2020, 1, 1, tzinfo=UTC)

# (endpoint, method): what each role gets, in the order of ROLES.
TABLE = {
    ("main.home", "GET"): (200, 200, 200, 200, 200),
    ("main.health", "GET"): (200, 200, 200, 200, 200),
    # Anyone may choose the language of the pages (an empty form changes nothing).
    ("main.choose_language", "POST"): (302, 302, 302, 302, 302),
    ("static", "GET"): (200, 200, 200, 200, 200),
    ("auth.login", "GET"): (200, 302, 302, 302, 302),
    ("auth.login", "POST"): (200, 302, 302, 302, 302),
    ("auth.logout", "POST"): (LOGIN, 302, 302, 302, 302),
    ("auth.signup", "GET"): (200, 200, 200, 200, 200),
    ("auth.signup", "POST"): (200, 200, 200, 200, 200),
    ("auth.forgot_password", "GET"): (200, 200, 200, 200, 200),
    ("auth.forgot_password", "POST"): (200, 200, 200, 200, 200),
    ("auth.reset_password", "GET"): (200, 200, 200, 200, 200),
    ("auth.reset_password", "POST"): (200, 200, 200, 200, 200),
    ("auth.claim_account", "GET"): (200, 200, 200, 200, 200),
    ("auth.confirm_sign_up", "GET"): (200, 200, 200, 200, 200),  # opening it changes nothing
    ("auth.confirm_sign_up", "POST"): (400, 400, 400, 400, 400),  # no password chosen
    ("auth.claim_account", "POST"): (200, 200, 200, 200, 200),
    ("attendee.events", "GET"): (LOGIN, 200, 200, 200, 200),
    ("attendee.join", "GET"): (200, 200, 200, 200, 200),
    ("attendee.join", "POST"): (200, 302, 302, 302, 302),
    ("attendee.profile", "GET"): (LOGIN, 200, 404, 404, 404),
    ("attendee.calendar", "GET"): (LOGIN, 200, 404, 404, 404),
    ("attendee.renew_calendar", "POST"): (LOGIN, 302, 404, 404, 404),
    ("attendee.calendar_download", "GET"): (LOGIN, 200, 404, 404, 404),
    ("attendee.schedule_pdf", "GET"): (LOGIN, 200, 404, 404, 404),
    ("attendee.calendar_feed", "GET"): (200, 200, 200, 200, 200),  # the secret address is the key
    ("attendee.profile", "POST"): (LOGIN, 200, 404, 404, 404),
    ("attendee.introductions", "GET"): (LOGIN, 200, 404, 404, 404),
    ("attendee.schedule", "GET"): (LOGIN, 200, 404, 404, 404),
    # The world's meeting is not Ana's: nobody but its two people finds it.
    ("attendee.introduction", "GET"): (LOGIN, 404, 404, 404, 404),
    ("attendee.answer", "POST"): (LOGIN, 404, 404, 404, 404),
    ("attendee.outcome", "POST"): (LOGIN, 404, 404, 404, 404),
    ("attendee.check_in", "POST"): (LOGIN, 404, 404, 404, 404),
    ("attendee.free_now", "POST"): (LOGIN, 302, 404, 404, 404),
    ("attendee.someone_else", "POST"): (LOGIN, 404, 404, 404, 404),
    # A table's code: anyone of the event may scan it (it finds only their own meeting).
    ("attendee.at_table", "GET"): (LOGIN, 302, 404, 404, 404),
    ("attendee.check_in_code", "GET"): (LOGIN, 200, 404, 404, 404),
    ("attendee.check_in_code", "POST"): (LOGIN, 400, 404, 404, 404),
    ("attendee.another_time", "GET"): (LOGIN, 404, 404, 404, 404),
    ("attendee.another_time", "POST"): (LOGIN, 404, 404, 404, 404),
    ("attendee.time_answer", "POST"): (LOGIN, 404, 404, 404, 404),
    ("attendee.connections", "GET"): (LOGIN, 200, 200, 200, 200),
    ("attendee.connections_vcard", "GET"): (LOGIN, 200, 200, 200, 200),
    # Nobody is anyone's connection in this world: a next step for them is not found.
    ("attendee.next_step", "POST"): (LOGIN, 404, 404, 404, 404),
    ("attendee.connections_table", "GET"): (LOGIN, 200, 200, 200, 200),
    ("attendee.data", "GET"): (LOGIN, 200, 200, 200, 200),
    ("attendee.data_download", "GET"): (LOGIN, 200, 200, 200, 200),
    ("attendee.visibility", "POST"): (LOGIN, 302, 404, 404, 404),
    # The directory is the event's attendees'; someone not listed cannot be asked, by anyone.
    ("attendee.directory", "GET"): (LOGIN, 200, 404, 404, 404),
    ("attendee.ask", "GET"): (LOGIN, 404, 404, 404, 404),
    ("attendee.ask", "POST"): (LOGIN, 404, 404, 404, 404),
    # The morning's "still coming today?": no login, the secret in the address is the key.
    ("attendee.day_check", "GET"): (200, 200, 200, 200, 200),
    ("attendee.day_check", "POST"): (302, 302, 302, 302, 302),
    ("attendee.delete_account", "POST"): (LOGIN, 400, 400, 400, 400),
    ("organiser.events", "GET"): (LOGIN, 403, 403, 200, 200),
    ("organiser.new_event", "GET"): (LOGIN, 403, 403, 200, 200),
    ("organiser.new_event", "POST"): (LOGIN, 403, 403, 200, 200),
    ("organiser.event", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.edit_event", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.edit_event", "POST"): (LOGIN, 403, 403, 200, 404),
    ("organiser.reset_join_link", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.new_slot", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.new_slot", "POST"): (LOGIN, 403, 403, 200, 404),
    ("organiser.generate_slots", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.generate_slots", "POST"): (LOGIN, 403, 403, 200, 404),
    ("organiser.edit_slot", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.edit_slot", "POST"): (LOGIN, 403, 403, 200, 404),
    ("organiser.delete_slot", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.new_location", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.new_location", "POST"): (LOGIN, 403, 403, 200, 404),
    ("organiser.edit_location", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.edit_location", "POST"): (LOGIN, 403, 403, 200, 404),
    ("organiser.delete_location", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.find_location", "GET"): (LOGIN, 403, 403, 302, 404),
    ("organiser.timetable_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.attendees", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.attendee", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.import_attendees", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.import_attendees", "POST"): (LOGIN, 403, 403, 400, 404),
    ("organiser.import_preview", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.confirm_import", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.runs", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.start_run", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.run", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.run_status", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.compare_runs", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.confirm_publish", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.publish_run", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.pairs", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.add_pair_rule", "POST"): (LOGIN, 403, 403, 400, 404),
    ("organiser.delete_pair_rule", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.exports_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.export_file", "GET"): (LOGIN, 403, 403, 409, 404),
    ("organiser.start_attendees_pdf", "POST"): (LOGIN, 403, 403, 409, 404),
    ("organiser.export_job", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.export_job_status", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.export_job_file", "GET"): (LOGIN, 403, 403, 404, 404),
    ("organiser.meeting", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.meeting", "POST"): (LOGIN, 403, 403, 400, 404),
    ("organiser.cancel_meeting", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.responses", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.live_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.live_json", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.report_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.messages", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.message_everyone", "POST"): (LOGIN, 403, 403, 400, 404),
    ("organiser.remind_unanswered", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.report_csv", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.responses", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.webhooks_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.add_webhook", "POST"): (LOGIN, 403, 403, 400, 404),  # no address given
    ("organiser.rotate_webhook_secret", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.remove_webhook", "POST"): (LOGIN, 403, 403, 302, 404),
    # No event here is connected to pretix: what needs a connection finds none.
    ("organiser.pretix_page", "GET"): (LOGIN, 403, 403, 200, 404),
    ("organiser.connect_pretix", "POST"): (LOGIN, 403, 403, 400, 404),  # nothing given
    ("organiser.pretix_questions", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.pretix_mapping", "POST"): (LOGIN, 403, 403, 404, 404),
    ("organiser.pretix_import", "POST"): (LOGIN, 403, 403, 302, 404),
    ("organiser.disconnect_pretix", "POST"): (LOGIN, 403, 403, 404, 404),
    # pretix posts without a login: the secret in the address is the key (none here).
    ("main.pretix_webhook", "POST"): (404, 404, 404, 404, 404),
    ("organiser.tokens", "GET"): (LOGIN, 403, 403, 200, 200),
    ("organiser.tokens", "POST"): (LOGIN, 403, 403, 400, 400),  # no name given
    # The token is the organiser elsewhere's: only they may revoke it.
    ("organiser.revoke_token", "POST"): (LOGIN, 403, 403, 404, 302),
    # The API's description is public, as its page for people.
    ("api-docs.openapi_json", "GET"): (200, 200, 200, 200, 200),
    ("api_docs.reference", "GET"): (200, 200, 200, 200, 200),
}


# The REST API's routes have their own table, for tokens as well as these roles
# (tests/api/test_api_routes.py).
API_BLUEPRINTS = ("events", "attendees", "runs", "meetings")


def _routes():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] not in API_BLUEPRINTS
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    )


ROUTES = _routes()


def test_every_route_has_an_entry_and_every_entry_a_route():
    routes = {(endpoint, method) for endpoint, method, _ in ROUTES}

    assert sorted(routes - set(TABLE)) == []
    assert sorted(set(TABLE) - routes) == []


@pytest.fixture
def world(app, session):
    owner = factories.organiser(session)
    ev, people = factories.matchable_event(session, owner, people=2, group_slots=0, rooms=0)
    ana = factories.attendee(session, ev, email="ana@example.org", name="Ana Here")
    mine_too = factories.event(session, owner, name="Mine too")
    other = factories.organiser(session, email="other@example.org")
    elsewhere = factories.event(session, other, name="Elsewhere")
    factories.attendee(session, elsewhere, email="bob@example.org", name="Bob Elsewhere")
    run = matching.start_run(
        session,
        event=ev,
        actor_id=owner.id,
        now=datetime.now(UTC),
        timeout=timedelta(hours=1),
    )
    matching.execute_run(session, run_id=run.id)
    rule = pair_rules.set_pair_rule(
        session,
        event=ev,
        profile_id=people[0].id,
        other_id=people[1].id,
        rule="apart",
    )
    upload = imports.parse_import(
        session,
        event=ev,
        actor_id=owner.id,
        data=b"name,email\nZed,zed@example.org\n",
        filename="x.csv",
    )
    claim = passwords.claim_token(ana.user, secret=app.secret_key)
    job = ExportJob(event_id=ev.id, requested_by_id=owner.id)  # queued: no file yet
    session.add(job)
    session.commit()
    pending = accounts.add_user(
        session, email="new@example.org", name="New", password=factories.PASSWORD, is_organiser=True
    )
    pending.confirmation_pending = True
    session.commit()
    confirm = signups.confirm_token(pending, secret=app.secret_key)
    reset = passwords.reset_token(ana.user, secret=app.secret_key)
    feed = published.calendar_token(session, slug=ev.slug, user_id=ana.user_id)
    day = DayCheck(profile_id=ana.id, day=ev.starts_on, token="day-secret", asked_at=PAST)
    session.add(day)
    hook = webhooks.add_webhook(session, event=ev, url="https://hooks.example.org/in",
                                kinds=["plan.published"], allow_private=False,
                                lookup=lambda host, port: ["93.184.215.14"])  # fmt: skip
    # A token of the organiser elsewhere's: no role here may revoke it.
    token = api_tokens.create_token(
        session, user=other, name="theirs", scope="read", now=PAST
    ).token
    session.commit()
    return {
        "mine_too": mine_too.id,
        "event_id": ev.id,
        "slot_id": ev.slots[0].id,
        "location_id": ev.locations[0].id,
        "profile_id": people[0].id,
        "run_id": run.id,
        "meeting_id": matching.run_meetings(session, run_id=run.id)[0].id,
        "rule_id": rule.id,
        "import_id": upload.id,
        "slug": ev.slug,
        "token": ev.join_token,
        "reset_token": reset,
        "claim_token": claim,
        "confirm_token": confirm,
        "job_id": job.id,
        "feed_token": feed,
        "day_token": day.token,
        "location_code": ev.locations[0].code,
        "other_user_id": people[0].user_id,
        "filename": "style.css",
        "format_id": "csv",
        "api_token_id": token.id,
        "webhook_id": hook.id,
    }


def _url(rule: str, endpoint: str, ids: dict) -> str:
    values = dict(ids)
    if endpoint == "auth.reset_password":
        values["token"] = ids["reset_token"]
    if endpoint == "auth.claim_account":
        values["token"] = ids["claim_token"]
    if endpoint == "auth.confirm_sign_up":
        values["token"] = ids["confirm_token"]
    if endpoint == "attendee.calendar_feed":
        values["token"] = ids["feed_token"]
    if endpoint == "attendee.at_table":
        values["code"] = ids["location_code"]
    if endpoint == "attendee.next_step":
        values["user_id"] = ids["other_user_id"]
    if endpoint == "attendee.day_check":
        values["token"] = ids["day_token"]
    if endpoint == "organiser.revoke_token":
        values["token_id"] = ids["api_token_id"]
    url = rule
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        url = url.replace(f"<path:{name}>", str(value))
    if endpoint == "organiser.compare_runs":
        url += f"?first={ids['run_id']}&second={ids['run_id']}"
    return url


def _snapshot(session):
    session.expire_all()
    rows = []
    for model, order in [(Event, Event.id), (Slot, Slot.id), (Location, Location.id),
                         (Profile, Profile.id), (User, User.id), (MatchRun, MatchRun.id),
                         (Meeting, Meeting.id), (PairRuleRow, PairRuleRow.id),
                         (AttendeeImport, AttendeeImport.id), (ApiToken, ApiToken.id),
                         (Webhook, Webhook.id), (PretixConnection, PretixConnection.id)]:  # fmt: skip
        for row in session.scalars(sa.select(model).order_by(order)):
            # When a token was last used records a call, not a change it made.
            rows.append(tuple(str(getattr(row, c.key)) for c in sa.inspect(model).column_attrs
                              if c.key != "last_used_at"))  # fmt: skip
    return rows


LOGINS = {
    "attendee here": "ana@example.org",
    "attendee elsewhere": "bob@example.org",
    "organiser here": "org@example.org",
    "organiser elsewhere": "other@example.org",
}


def _outcome(response):
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("endpoint,method,rule", ROUTES)
def test_each_role_gets_what_the_table_says(app, session, world, endpoint, method, rule):
    got = []
    for k, role in enumerate(ROLES):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{k + 1}"  # each role counts alone
        if role in LOGINS:
            factories.login(client, LOGINS[role])
        before = _snapshot(session)
        url = _url(rule, endpoint, world)
        response = client.get(url) if method == "GET" else client.post(url, data={})
        runner.wait_for_threads()
        got.append(_outcome(response))
        if got[-1] in (LOGIN, 403, 404):
            assert _snapshot(session) == before, f"{role} changed something"
        assert response.status_code != 500
    if os.environ.get("MATCHMAKER_ROUTE_TABLE") == "print":
        print(f'    ("{endpoint}", "{method}"): {tuple(got)},')
    assert tuple(got) == TABLE[(endpoint, method)]


CHILD_ROUTES = [
    (endpoint, method, rule)
    for endpoint, method, rule in ROUTES
    if "<int:event_id>" in rule and rule.count("<int:") == 2
]


@pytest.mark.parametrize("endpoint,method,rule", CHILD_ROUTES)
def test_ids_of_one_event_in_the_address_of_another_are_404(
    app, session, world, endpoint, method, rule
):
    # The organiser organises both events: a slot, run or meeting of one is still not found
    # under the other's address.
    client = app.test_client()
    factories.login(client, "org@example.org")
    before = _snapshot(session)
    url = _url(rule, endpoint, dict(world, event_id=world["mine_too"]))

    response = client.get(url) if method == "GET" else client.post(url, data={})

    assert response.status_code == 404
    assert _snapshot(session) == before


def test_a_missing_event_and_another_organisers_event_look_the_same(app, session, world):
    client = app.test_client()
    factories.login(client, "other@example.org")

    missing = client.get("/organiser/events/9999")
    theirs = client.get(f"/organiser/events/{world['event_id']}")

    assert missing.status_code == theirs.status_code == 404

    def shown(response):  # the logout form's token is signed with the second it was made in
        return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))

    assert shown(missing) == shown(theirs)

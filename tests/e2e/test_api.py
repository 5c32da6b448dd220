"""The API from a fresh start, as an organiser's tool would use it: a token made on the
settings page in the browser lists, creates and updates attendees and starts a run, over
HTTP against a live server."""

import json
import time
import urllib.error
import urllib.request

from playwright.sync_api import expect

from matchmaker.extensions import db
from tests import factories


def _call(base: str, secret: str, method: str, path: str, body: dict | None = None):
    """(status, headers, parsed JSON body) of one call with the token."""
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # nosec B310 (our server)
            return answer.status, answer.headers, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def test_a_token_from_the_settings_page_drives_attendees_and_a_run(live_server, live_app, new_page):
    with live_app.app_context():
        ev, _ = factories.matchable_event(db.session, people=6)
        event_id = ev.id
        db.session.commit()
        db.session.remove()
    page = new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("org@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server + "/organiser/events")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Ticket shop sync")
    page.get_by_label("Read, and also invite attendees, start runs and publish").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("Copy it now: it is shown only this once")).to_be_visible()
    secret = page.get_by_role("textbox", name="Token").input_value()
    assert secret.startswith("mm_")

    status, headers, events = _call(live_server, secret, "GET", "/api/v1/events")
    assert status == 200
    assert [e["id"] for e in events] == [event_id]
    request = urllib.request.Request(
        live_server + "/api/v1/events",
        headers={"Authorization": f"Bearer {secret}", "If-None-Match": headers["ETag"]},
    )
    try:
        urllib.request.urlopen(request, timeout=30)  # nosec B310 (our server)
        raise AssertionError("an unchanged list should be 304")
    except urllib.error.HTTPError as error:
        assert error.code == 304

    person = {"email": "zoe@example.org", "name": "Zoe Zed", "interests": ["rust"]}
    created = _call(live_server, secret, "POST", f"/api/v1/events/{event_id}/attendees", person)
    person["company"] = "Zed & Co"
    updated = _call(live_server, secret, "POST", f"/api/v1/events/{event_id}/attendees", person)
    status, _, found = _call(live_server, secret, "GET",
                             f"/api/v1/events/{event_id}/attendees?q=zoe%40example.org")  # fmt: skip

    assert (created[0], created[2]["action"]) == (201, "invited")
    assert (updated[0], updated[2]["action"]) == (200, "updated")
    assert [(a["name"], a["company"], a["profile_filled"]) for a in found] == [
        ("Zoe Zed", "Zed & Co", False)
    ]

    status, headers, run = _call(live_server, secret, "POST", f"/api/v1/events/{event_id}/runs")
    assert status == 202
    deadline = time.monotonic() + 60
    while run["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        _, _, run = _call(live_server, secret, "GET", headers["Location"])
    assert run["status"] == "done", run
    status, _, plan = _call(live_server, secret, "GET",
                            f"/api/v1/events/{event_id}/runs/{run['id']}/meetings")  # fmt: skip
    assert status == 200 and plan

    page.goto(live_server + "/organiser/tokens")
    page.get_by_role("button", name="Revoke “Ticket shop sync”").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    assert _call(live_server, secret, "GET", "/api/v1/events")[0] == 401

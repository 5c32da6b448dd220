"""Every organiser page (and every attendee page) of a published event, in Chromium at a
desktop's width and at a phone's (390 px): each fits the width, axe-core finds nothing serious, and a screenshot of
each is saved (under $MATCHMAKER_SCREENSHOTS/organiser-pages; CI lists them). On the way: a
search of the attendees, a person's page, the comparison of two runs, publishing with its
confirmation, a message previewed, the live view and the outcome report."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.services.planning import matching
from tests import factories
from tests.e2e.test_whole_journeys import Journey, axe_source  # noqa: F401


def _prepare(live_app):
    """A published event with a second run finished (to compare and publish)."""
    with live_app.app_context():
        session = db.session
        ev, profiles = factories.published_event(session, people=10, tables=4)
        run = matching.start_run(session, event=ev, actor_id=None, now=datetime.now(UTC),
                                 timeout=timedelta(hours=1))  # fmt: skip
        matching.execute_run(session, run_id=run.id)
        session.commit()
        found = (ev.id, ev.published_run_id, run.id, profiles[3].name)
        db.session.remove()
    return found


@pytest.mark.parametrize("width", [1280, 390])
def test_every_organiser_page_fits_and_passes_axe(
    live_app,
    live_server,
    browser,
    axe_source,  # noqa: F811
    tmp_path,
    width,
):
    event_id, first_run, second_run, someone = _prepare(live_app)
    folder = Path(os.environ.get("MATCHMAKER_SCREENSHOTS") or tmp_path) / "organiser-pages"
    journey = Journey(browser, folder / str(width), axe_source)
    events = f"{live_server}/organiser/events/{event_id}"
    try:
        page = journey.page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/login")
        page.get_by_label("Email").fill("org@example.org")
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()

        def visit(path: str, name: str) -> None:
            page.goto(events + path)
            expect(page.locator("h1")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            journey.step(page, name)

        visit("", "overview")
        visit("/edit", "settings")
        visit("/timetable", "timetable")
        visit(f"/attendees?q={someone.split()[-1]}", "attendees-search")
        expect(page.get_by_role("link", name=someone)).to_be_visible()
        page.get_by_role("link", name=someone).click()
        expect(page.get_by_role("heading", name="Meetings")).to_be_visible()
        journey.step(page, "person")
        visit("/runs", "matching")
        visit(f"/runs/{second_run}", "review")
        visit(f"/runs/compare?first={first_run}&second={second_run}", "compare")
        expect(page.get_by_role("heading", name="Per attendee")).to_be_visible()
        visit(f"/runs/{second_run}/publish", "publish-confirmation")
        page.get_by_role("button", name="Publish and tell").click()
        expect(page.locator(".badge", has_text="published")).to_be_visible()
        visit("/responses", "responses")
        visit("/messages", "messages")
        page.get_by_label("Subject").fill("Lunch moved")
        page.get_by_role("textbox", name="Message").fill("Lunch is at 13:00 in Hall 2.")
        page.get_by_role("button", name="Preview").click()
        expect(page.get_by_text("Preview: as attendees will read it")).to_be_visible()
        journey.step(page, "message-preview")
        visit("/live", "live")
        visit("/report", "outcome-report")
        visit("/pairs", "pairs")
        visit("/exports", "exports")
        visit("/webhooks", "webhooks")
        visit("/pretix", "tickets")
        for path, name in [("/organiser/tokens", "api-tokens"), ("/api/v1/docs", "api-reference")]:
            page.goto(live_server + path)
            expect(page.locator("h1")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            journey.step(page, name)
        assert journey.violations == {}, journey.violations
    finally:
        journey.close()
        print(f"screenshots of the organiser pages: {journey.folder}")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_attendee_page_fits_and_passes_axe(
    live_app,
    live_server,
    browser,
    axe_source,  # noqa: F811
    tmp_path,
    width,
):
    with live_app.app_context():
        ev, profiles = factories.published_event(db.session, people=6, tables=3)
        slug, email = ev.slug, profiles[0].user.email
        db.session.remove()
    folder = Path(os.environ.get("MATCHMAKER_SCREENSHOTS") or tmp_path) / "attendee-pages"
    journey = Journey(browser, folder / str(width), axe_source)
    try:
        page = journey.page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        for path, name in [
            ("/events", "my-events"),
            (f"/events/{slug}/introductions", "introductions"),
            (f"/events/{slug}/schedule", "schedule"),
            (f"/events/{slug}/profile", "profile"),
            (f"/events/{slug}/people", "people"),
            (f"/events/{slug}/calendar", "calendar"),
            (f"/events/{slug}/here", "check-in"),
            ("/connections", "connections"),
            ("/account/data", "my-data"),
        ]:
            page.goto(live_server + path)
            expect(page.locator("h1")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            journey.step(page, name)
        page.goto(f"{live_server}/events/{slug}/introductions")
        page.get_by_role("link", name="Details, notes and rating").first.click()
        journey.step(page, "meeting")
        page.get_by_role("link", name="Suggest another time").click()
        expect(page.locator("h1")).to_contain_text("Another time to meet")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        journey.step(page, "another-time")
        assert journey.violations == {}, journey.violations
    finally:
        journey.close()

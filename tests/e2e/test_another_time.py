"""Another time, in a real browser: one person suggests a time both are free, the other
confirms it, and both schedules show the new time; the morning's "still coming today?" page
answers from its link. axe finds nothing serious, and the pages fit a phone's width."""

from datetime import UTC, datetime

from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import DayCheck
from tests import factories
from tests.e2e.test_introductions import _log_in
from tests.e2e.test_whole_journeys import Journey, axe_source  # noqa: F401
from tests.services.test_another_time import _event, _first_meeting, _people


def _prepare(live_app):
    with live_app.app_context():
        session = db.session
        ev, profiles = _event(session)
        meeting = _first_meeting(session, ev)
        a, b = _people(session, meeting, profiles)
        check = DayCheck(profile_id=b.id, day=ev.starts_on, token="e2e-day",
                         asked_at=datetime.now(UTC))  # fmt: skip
        session.add(check)
        session.commit()
        found = (ev.slug, meeting.id, a.user.email, b.user.email, a.name)
        db.session.remove()
    return found


def test_suggest_another_time_and_confirm(
    live_app,
    live_server,
    browser,
    new_page,
    axe_source,  # noqa: F811
    tmp_path,
):
    slug, meeting_id, asker, other, asker_name = _prepare(live_app)
    journey = Journey(browser, tmp_path / "shots", axe_source)
    try:
        page = journey.page()
        page.goto(live_server + "/login")
        page.get_by_label("Email").fill(asker)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server}/events/{slug}/introductions/{meeting_id}")
        page.get_by_role("link", name="Suggest another time").click()
        choice = page.get_by_role("radio").first
        label = page.locator(f"label[for='{choice.get_attribute('id')}']").inner_text()
        choice.check()
        journey.step(page, "another-time")
        page.get_by_role("button", name="Suggest this time").click()
        expect(page.get_by_text("You suggested another time.")).to_be_visible()
        page.set_viewport_size({"width": 390, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        journey.step(page, "suggested-phone")

        theirs = _log_in(new_page, live_server, other)
        theirs.goto(f"{live_server}/events/{slug}/introductions/{meeting_id}")
        expect(theirs.get_by_text(f"{asker_name} suggests")).to_be_visible()
        theirs.get_by_role("button", name="Confirm the new time").click()
        expect(theirs.get_by_text("Confirmed: the meeting moved")).to_be_visible()

        page.goto(f"{live_server}/events/{slug}/schedule")
        expect(page.get_by_text(label.split("–")[0])).to_be_visible()

        day = journey.page()
        day.goto(f"{live_server}/day/e2e-day?answer=no")
        expect(
            day.get_by_role("button", name="I am not coming today: free my meetings")
        ).to_be_visible()
        journey.step(day, "day-check")
        day.get_by_role("button", name="I am coming after all").click()
        expect(day.get_by_text("You said you are coming")).to_be_visible()
        assert journey.violations == {}, journey.violations
    finally:
        journey.close()

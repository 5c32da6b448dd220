"""At the table, in a real browser, during a meeting that is on now: check in, the partner
does not come, and "find someone else" starts a meeting with someone present and free whose
own partner did not come either. axe finds nothing serious; the page fits a phone."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from matchmaker.extensions import db
from tests import factories
from tests.e2e.test_whole_journeys import Journey, axe_source  # noqa: F401
from tests.services.test_at_the_table import _meetings


def _prepare(live_app):
    """A meeting slot that began six minutes ago; in its second meeting only C checked in."""
    with live_app.app_context():
        session = db.session
        ev, _ = factories.published_event(
            session, people=8, one_to_one_slots=1, tables=4, group_slots=0, rooms=0
        )
        now = datetime.now(UTC)
        local = now.astimezone(ev.zone).replace(tzinfo=None, microsecond=0)
        ev.starts_on = ev.ends_on = local.date()
        slot = ev.slots[0]
        slot.starts_at, slot.ends_at = local - timedelta(minutes=6), local + timedelta(minutes=14)
        session.commit()
        first, second, *_ = _meetings(session, ev, hour=slot.starts_at.hour)
        a, c = first.seats[0], second.seats[0]
        c.checked_in_at = now - timedelta(minutes=5)
        found = (ev.slug, first.id, a.profile.user.email, c.profile.name, first.location.code)
        session.commit()
        db.session.remove()
    return found


def test_check_in_partner_absent_standby_found(
    live_app,
    live_server,
    browser,
    axe_source,  # noqa: F811
    tmp_path,
):
    slug, meeting_id, email, other, code = _prepare(live_app)
    journey = Journey(browser, tmp_path / "shots", axe_source)
    try:
        page = journey.page()
        page.goto(live_server + "/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server}/events/{slug}/here")
        page.get_by_label("The code on the table's sign").fill(code.lower())
        journey.step(page, "check-in-code")
        page.get_by_role("button", name="I'm here").click()
        expect(page.get_by_text("You are checked in.")).to_be_visible()
        expect(page.get_by_role("button", name="Find someone else")).to_be_visible()
        page.set_viewport_size({"width": 390, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        journey.step(page, "at-the-table-phone")
        page.get_by_role("button", name="Find someone else").click()
        expect(page.get_by_text(f"{other} is on their way")).to_be_visible()
        expect(page.get_by_role("heading", name=f"Meeting with {other}")).to_be_visible()
        assert journey.violations == {}, journey.violations
    finally:
        journey.close()

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


def _prepare_free_now(live_app):
    """A slot on now with two free tables; two people without a meeting in it who share an
    interest and never met."""
    from matchmaker.services.setup import timetable
    from tests.services.test_free_now import _pair_free_at_nine

    with live_app.app_context():
        session = db.session
        ev, profiles = factories.published_event(
            session, people=12, one_to_one_slots=2, tables=2, group_slots=0, rooms=0
        )
        timetable.add_locations(session, event=ev, name="Extra", capacity=2, count=2)
        x, y = _pair_free_at_nine(session, ev, profiles)
        local = datetime.now(UTC).astimezone(ev.zone).replace(tzinfo=None, microsecond=0)
        ev.starts_on = ev.ends_on = local.date()
        first, second = sorted(ev.slots, key=lambda s: s.starts_at)
        first.starts_at, first.ends_at = local - timedelta(minutes=2), local + timedelta(minutes=18)
        second.starts_at = local + timedelta(minutes=40)
        second.ends_at = local + timedelta(minutes=60)
        session.commit()
        found = (ev.slug, x.user.email, y.user.email, x.name)
        db.session.remove()
    return found


def test_free_now(live_app, live_server, browser, new_page, axe_source, tmp_path):  # noqa: F811
    from tests.e2e.test_introductions import _log_in

    slug, first, second, first_name = _prepare_free_now(live_app)
    journey = Journey(browser, tmp_path / "shots", axe_source)
    try:
        page = _log_in(new_page, live_server, first)
        page.goto(f"{live_server}/events/{slug}/introductions")
        page.get_by_role("button", name="I'm free for the next 30 minutes").click()
        expect(page.get_by_text("You are free for the next 30 minutes.")).to_be_visible()
        other = journey.page()
        other.goto(live_server + "/login")
        other.get_by_label("Email").fill(second)
        other.get_by_label("Password").fill(factories.PASSWORD)
        other.get_by_role("button", name="Log in").click()
        other.goto(f"{live_server}/events/{slug}/introductions")
        journey.step(other, "free-now")
        other.get_by_role("button", name="I'm free for the next 30 minutes").click()
        expect(other.get_by_text(f"Meet {first_name} at Extra")).to_be_visible()
        expect(other.get_by_role("heading", name=f"Meeting with {first_name}")).to_be_visible()
        assert journey.violations == {}, journey.violations
    finally:
        journey.close()

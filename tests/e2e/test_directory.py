"""Asking someone to meet, in a real browser: search the directory, ask with a note, the
other accepts, and the asker sees it accepted; axe finds nothing serious on the new pages,
and they fit a phone's width."""

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import MeetingSeat
from matchmaker.services.setup import timetable
from tests import factories
from tests.e2e.test_introductions import _log_in
from tests.e2e.test_whole_journeys import Journey, axe_source  # noqa: F401


def _prepare(live_app):
    """Eight people, three slots, two planned tables and two more: Person 0 asks a stranger,
    who works at Acme."""
    with live_app.app_context():
        session = db.session
        ev, profiles = factories.published_event(
            session, people=8, one_to_one_slots=3, tables=2, group_slots=0
        )
        timetable.add_locations(session, event=ev, name="Extra", capacity=2, count=2)
        mine, theirs = sa.orm.aliased(MeetingSeat), sa.orm.aliased(MeetingSeat)
        met = set(
            session.scalars(
                sa.select(theirs.profile_id)
                .join(mine, mine.meeting_id == theirs.meeting_id)
                .where(mine.profile_id == profiles[0].id)
            )
        )
        stranger = next(p for p in profiles[1:7] if p.id not in met)
        for p in profiles[:7]:
            p.listed = True
        stranger.company = "Acme Robotics"
        names = (ev.slug, stranger.name, stranger.user.email)
        session.commit()
        db.session.remove()
    return names


def test_search_ask_and_accept(live_app, live_server, browser, new_page, axe_source, tmp_path):  # noqa: F811
    slug, name, email = _prepare(live_app)
    journey = Journey(browser, tmp_path / "shots", axe_source)
    try:
        page = journey.page()
        page.goto(live_server + "/login")
        page.get_by_label("Email").fill("person0@example.org")
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server}/events/{slug}/introductions")
        page.get_by_role("link", name="People").click()
        page.get_by_label("Search by name, company, interest").fill("acme")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        journey.step(page, "directory")
        page.get_by_role("link", name=f"Ask to meet {name}").click()
        page.get_by_label("A note (optional)").fill("Your robots talk was great.")
        journey.step(page, "ask")
        page.get_by_role("button", name="Ask to meet").click()
        expect(page.get_by_text(f"You asked {name} to meet:")).to_be_visible()
        expect(page.get_by_text("Waiting for an answer")).to_be_visible()
        page.set_viewport_size({"width": 390, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        journey.step(page, "requests-phone")

        theirs = _log_in(new_page, live_server, email)
        theirs.goto(f"{live_server}/events/{slug}/introductions")
        expect(
            theirs.get_by_text("Person 0 asked to meet you: “Your robots talk was great.”")
        ).to_be_visible()
        item = theirs.locator("li", has_text="asked to meet you")
        item.get_by_role("button", name="Accept").click()

        page.reload()
        expect(page.get_by_text("Accepted: it is in your schedule")).to_be_visible()
        assert journey.violations == {}, journey.violations
    finally:
        journey.close()

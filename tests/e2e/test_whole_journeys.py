"""The three journeys end to end in Chromium against gunicorn (two workers) on the test's
database, with axe-core run on every page they show (no serious or critical violation), the
attendee's part done with the keyboard alone, and a screenshot of each step (saved under
$MATCHMAKER_SCREENSHOTS, else the test's temporary folder; CI prints where)."""

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journeys import add_slots_and_tables
from tests.web.live import serve

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "long enough pw"
PEOPLE = [
    ("Ana Lopes", "ana@example.org", "machine learning, python"),
    ("Bob Smith", "bob@example.org", "python, devops"),
    ("Chen Wei", "chen@example.org", "machine learning, statistics"),
    ("Dara Okafor", "dara@example.org", "devops, kubernetes"),
    ("Eli Cohen", "eli@example.org", "statistics, python"),
    ("Fay Moreau", "fay@example.org", "kubernetes, machine learning"),
]


@pytest.fixture
def gunicorn(database_url, tmp_path):
    log = tmp_path / "gunicorn.log"
    for base in serve(database_url, log):
        yield base, log


@pytest.fixture
def axe_source():
    if not AXE.is_file():
        if os.environ.get("MATCHMAKER_E2E") == "required":
            pytest.fail(f"{AXE} is missing: npm ci --prefix tests/e2e/axe (scripts/setup --dev)")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/e2e/axe)")
    return AXE.read_text(encoding="utf-8")


class Journey:
    """Screenshots and axe-core's findings, step by step."""

    def __init__(self, browser, folder: Path, axe: str):
        self.browser, self.folder, self.axe = browser, folder, axe
        self.folder.mkdir(parents=True, exist_ok=True)
        self.steps = 0
        self.violations: dict[str, list[str]] = {}
        self.minor: list[str] = []  # moderate and minor findings, printed, not failed on
        self.contexts = []

    def page(self, locale: str | None = None):
        # axe is injected as a script of the page: the app's CSP (no inline scripts) would
        # refuse it, so these test browsers bypass CSP; the app's own pages never need to.
        # `locale` is the browser's language (its Accept-Language), e.g. "de-DE".
        context = self.browser.new_context(bypass_csp=True, accept_downloads=True, locale=locale)
        self.contexts.append(context)
        return context.new_page()

    def step(self, page, name: str) -> None:
        self.steps += 1
        key = f"{self.steps:02d}-{name}"
        page.screenshot(path=self.folder / f"{key}.png", full_page=True)
        page.add_script_tag(content=self.axe)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert result["passes"], f"axe checked nothing on {page.url}"
        self.minor += [
            f"{key}: {v['id']} ({v['impact']})"
            for v in result["violations"]
            if v["impact"] not in ("serious", "critical")
        ]
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if found:
            self.violations[f"{key} {page.url}"] = found

    def close(self):
        for context in self.contexts:
            context.close()


def _confirm(page, log: Path, email: str) -> None:
    """Open the confirmation link mailed to `email` (mail goes to gunicorn's log in tests,
    from a background job: wait for it), and choose the password there."""
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    pattern = rf"To: {re.escape(email)}\nSubject: Confirm[^\n]*\n.*?(http://\S+/confirm/\S+)"
    links = []
    for _ in range(100):
        text = log.read_text(encoding="utf-8", errors="replace")
        if links := re.findall(pattern, text, re.DOTALL):
            break
        time.sleep(0.1)
    page.goto(links[-1])
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Confirm and log in").click()


def _tab_to(page, name: str, limit: int = 120) -> None:
    """Press Tab until the focused element is the link or button whose text starts with
    `name`, and check that the
    focus is visible (the stylesheet's outline)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement;
                       const style = getComputedStyle(e);
                       return [(e.innerText || e.value || '').trim(), style.outlineStyle]; }"""
        )
        if focused[0].startswith(name):
            assert focused[1] != "none", f"{name!r} has focus but no visible outline"
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def _organiser(journey: Journey, base: str, log: Path):
    page = journey.page()
    page.goto(base + "/")
    journey.step(page, "home")
    page.get_by_role("link", name="I organise an event").click()
    journey.step(page, "organiser-sign-up")
    page.get_by_label("Your name").fill("Olga Organiser")
    page.get_by_label("Email").fill("olga@example.org")
    page.get_by_role("button", name="Create my account").click()
    journey.step(page, "check-your-mail")
    _confirm(page, log, "olga@example.org")
    journey.step(page, "new-event")
    page.get_by_label("Name").fill("PyCon Journeys")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("First day").fill("2030-05-14")
    page.get_by_label("Last day").fill("2030-05-14")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_text("PyCon Journeys is created.")).to_be_visible()
    journey.step(page, "event-created")
    add_slots_and_tables(page, journey.step)
    journey.step(page, "event-ready")
    return page, page.get_by_role("textbox", name="Join link").input_value()


def _attendee_joins(journey: Journey, log: Path, join_url: str, person) -> object:
    name, email, interests = person
    page = journey.page()
    page.goto(join_url)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Sign up and join").click()
    _confirm(page, log, email)
    expect(page.get_by_role("heading", name="My profile for PyCon Journeys")).to_be_visible()
    page.get_by_label("Headline").fill(f"{name.split()[0]}, engineer")
    page.get_by_label("About you").fill(f"{name} works on {interests} every day.")
    page.get_by_label("Interests").fill(interests)
    page.get_by_label("One-to-one meetings", exact=True).check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    return page


def test_organiser_attendees_and_answers_end_to_end_with_axe(
    browser, gunicorn, axe_source, tmp_path
):
    base, log = gunicorn
    folder = Path(os.environ.get("MATCHMAKER_SCREENSHOTS") or tmp_path / "screenshots")
    journey = Journey(browser, folder / "journeys", axe_source)
    try:
        # The organiser sets the event up and shares the join link.
        organiser, join_url = _organiser(journey, base, log)
        assert join_url.startswith(base + "/join/")

        # Six attendees join through it and fill their profiles.
        pages = []
        for k, person in enumerate(PEOPLE):
            if k == 0:
                first = journey.page()
                first.goto(join_url)
                journey.step(first, "join")
                first.close()
            pages.append(_attendee_joins(journey, log, join_url, person))
        journey.step(pages[0], "profile-saved")

        # The organiser runs matching, watches the bar finish, reviews and publishes.
        organiser.reload()
        expect(organiser.locator(".card", has_text="profiles filled")).to_contain_text("6")
        organiser.get_by_role("link", name="Matching", exact=True).click()
        journey.step(organiser, "matching")
        organiser.get_by_role("button", name="Run matching").click()
        expect(organiser.get_by_role("heading", name="Run 1")).to_be_visible()
        journey.step(organiser, "run-progress")
        expect(organiser.get_by_text("of the best possible (a proven bound)")).to_be_visible(
            timeout=60_000
        )
        expect(organiser.get_by_text("Without a meeting (0)")).to_be_visible()
        journey.step(organiser, "review")
        organiser.get_by_role("link", name="Publish this plan…").click()
        expect(organiser.get_by_text("will get a message with their meetings")).to_be_visible()
        journey.step(organiser, "publish-confirmation")
        organiser.get_by_role("button", name=re.compile(r"^Publish and tell \d+ attendee")).click()
        expect(organiser.locator(".badge", has_text="published")).to_be_visible()
        journey.step(organiser, "published")

        # Ana, with the keyboard alone: her introductions, one of them, accept, files.
        ana = pages[0]
        ana.goto(base + "/events")
        journey.step(ana, "my-events")
        _tab_to(ana, "Introductions")
        ana.keyboard.press("Enter")
        expect(ana.get_by_role("heading", name=re.compile("^Your introductions"))).to_be_visible()
        journey.step(ana, "introductions")
        _tab_to(ana, "Details, notes and rating")
        ana.keyboard.press("Enter")
        expect(ana.get_by_role("heading", name=re.compile("^Meeting with "))).to_be_visible()
        expect(ana.get_by_role("heading", name="Why you should meet")).to_be_visible()
        partner = ana.locator("h1").inner_text().removeprefix("Meeting with ")
        journey.step(ana, "introduction")
        _tab_to(ana, "Accept")
        ana.keyboard.press("Enter")
        expect(
            ana.get_by_text("You accepted. It is confirmed once both of you have.")
        ).to_be_visible()
        expect(
            ana.get_by_text("You accepted: it is confirmed once both of you have").first
        ).to_be_visible()
        journey.step(ana, "accepted")
        _tab_to(ana, "My schedule")
        ana.keyboard.press("Enter")
        expect(ana.get_by_role("heading", name="My schedule at PyCon Journeys")).to_be_visible()
        journey.step(ana, "schedule")
        _tab_to(ana, "Add to your calendar (.ics)")
        with ana.expect_download() as ics:
            ana.keyboard.press("Enter")
        calendar = Path(ics.value.path()).read_text(encoding="utf-8")
        assert calendar.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in calendar
        _tab_to(ana, "Download as PDF")
        with ana.expect_download() as pdf:
            ana.keyboard.press("Enter")
        assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
        expect(ana.get_by_role("cell", name=re.compile(re.escape(partner)))).to_be_visible()

        # Bob declines one of his introductions that is not with Ana.
        bob = pages[1]
        bob.goto(base + "/events/pycon-journeys/introductions")
        card = bob.locator(".introductions li").filter(has_text="Proposed: accept or decline")
        card = card.filter(has_not_text="With Ana Lopes").first
        card.get_by_role("button", name="Decline").click()
        expect(bob.get_by_text(re.compile("^You declined\\."))).to_be_visible()
        expect(bob.get_by_text("You declined this introduction")).to_be_visible()
        journey.step(bob, "declined")
    finally:
        journey.close()
        print(f"screenshots of the journeys: {journey.folder}")
        print("axe, moderate or minor:", journey.minor or "none")

    assert journey.violations == {}

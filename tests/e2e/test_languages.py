"""The attendee journey in German, in Chromium with a German browser (its Accept-Language),
with axe on every page: join through the link, sign up, confirm, fill the profile; then an
attendee of the published plan reads, accepts and finds their schedule. Screenshots under
$MATCHMAKER_SCREENSHOTS/languages."""

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Event, User
from matchmaker.services.people import signups
from tests import factories
from tests.e2e.test_whole_journeys import Journey, axe_source  # noqa: F401


def test_the_attendee_journey_in_german_with_axe(
    live_server,
    live_app,
    browser,
    axe_source,  # noqa: F811
    tmp_path,
):
    with live_app.app_context():
        ev, profiles = factories.published_event(db.session, people=6, group_slots=0)
        token, name, email = ev.join_token, ev.name, profiles[0].user.email
        db.session.remove()
    folder = Path(os.environ.get("MATCHMAKER_SCREENSHOTS") or tmp_path) / "languages"
    journey = Journey(browser, folder, axe_source)
    try:
        # Someone new joins through the link, in German.
        page = journey.page(locale="de-DE")
        page.goto(f"{live_server}/join/{token}")
        expect(page.get_by_role("heading", name=f"An {name} teilnehmen")).to_be_visible()
        journey.step(page, "join")
        page.get_by_label("Ihr Name").fill("Greta Neu")
        page.get_by_label("E-Mail").fill("greta@example.org")
        page.get_by_role("button", name="Registrieren und teilnehmen").click()
        expect(page.get_by_role("heading", name="Sehen Sie in Ihr Postfach")).to_be_visible()
        journey.step(page, "check-mail")
        with live_app.app_context():
            greta = db.session.query(User).filter_by(email="greta@example.org").one()
            joined = db.session.query(Event).filter_by(join_token=token).one()
            link = signups.confirm_token(greta, secret=live_app.secret_key, event=joined)
            db.session.remove()
        page.goto(f"{live_server}/confirm/{link}")
        expect(page.get_by_role("heading", name=re.compile("^Bestätigen Sie Ihre Adresse"))
               ).to_be_visible()  # fmt: skip
        journey.step(page, "confirm")
        page.get_by_label("Wählen Sie ein Passwort").fill(factories.PASSWORD)
        page.get_by_label("Passwort wiederholen").fill(factories.PASSWORD)
        page.get_by_role("button", name="Bestätigen und anmelden").click()
        expect(page.get_by_role("heading", name=f"Mein Profil für {name}")).to_be_visible()
        page.get_by_label("Kurzbeschreibung").fill("Greta, Entwicklerin")
        page.get_by_label("Über Sie", exact=True).fill("Ich arbeite an Suchmaschinen.")
        page.get_by_role("button", name="Mein Profil speichern").click()
        expect(page.get_by_text("Ihr Profil ist gespeichert.")).to_be_visible()
        journey.step(page, "profile-saved")

        # An attendee of the published plan reads and accepts an introduction.
        other = journey.page(locale="de-DE")
        other.goto(f"{live_server}/login")
        expect(other.get_by_role("heading", name="Anmelden")).to_be_visible()
        other.get_by_label("E-Mail").fill(email)
        other.get_by_label("Passwort").fill(factories.PASSWORD)
        other.get_by_role("button", name="Anmelden").click()
        expect(other.get_by_role("heading", name="Meine Veranstaltungen")).to_be_visible()
        journey.step(other, "my-events")
        other.get_by_role("link", name="Vorschläge").first.click()
        expect(other.get_by_role("heading", name=f"Ihre Vorschläge bei {name}")).to_be_visible()
        expect(other.get_by_text("Vorgeschlagen: annehmen oder ablehnen").first).to_be_visible()
        journey.step(other, "introductions")
        other.get_by_role("button", name="Annehmen").first.click()
        expect(other.get_by_text("Sie haben angenommen.", exact=False).first).to_be_visible()
        other.get_by_role("link", name="Details, Notizen und Bewertung").first.click()
        expect(other.get_by_role("heading", name=re.compile("^Treffen mit"))).to_be_visible()
        journey.step(other, "meeting")
        other.get_by_role("link", name="← Alle Vorschläge").click()
        other.get_by_role("link", name="Mein Zeitplan").first.click()
        expect(other.get_by_role("heading", name=f"Mein Zeitplan bei {name}")).to_be_visible()
        expect(other.locator("time").first).to_contain_text("Di., 14. Mai")
        journey.step(other, "schedule")
        assert journey.violations == {}, journey.violations
    finally:
        journey.close()
        print(f"screenshots of the journey in German: {journey.folder}")

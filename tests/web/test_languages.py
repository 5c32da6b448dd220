"""The interface in English, German and French: the language the person chose, else their
browser's; dates written for it; the chooser in every page's footer."""

import re
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa

from matchmaker import runner
from matchmaker.models import User
from matchmaker.services.core.messages import render_mail
from matchmaker.services.planning.publishing import Appointment
from tests import factories

GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
FRENCH = {"Accept-Language": "fr-CH, fr;q=0.9"}


def test_the_browsers_language_decides_until_one_is_chosen(app, client):
    german = client.get("/", headers=GERMAN).get_data(as_text=True)
    french = client.get("/", headers=FRENCH).get_data(as_text=True)
    other = client.get("/", headers={"Accept-Language": "ja"}).get_data(as_text=True)

    assert '<html lang="de">' in german
    assert "<h1>Treffen Sie die Menschen, derentwegen Sie gekommen sind.</h1>" in german
    assert "<h1>Rencontrez les personnes pour qui vous êtes venu.</h1>" in french
    assert "<h1>Meet the people you came for.</h1>" in other
    assert '<option value="fr" lang="fr" selected>Français</option>' in french


def test_the_chooser_keeps_the_language_for_the_visit_and_on_the_account(app, session, client):
    ev, profiles = factories.published_event(session, people=4, group_slots=0)
    email = profiles[0].user.email

    chosen = client.post("/language", data={"language": "fr"},
                         headers={**GERMAN, "Referer": "http://matchmaker.test/login"})  # fmt: skip
    page = client.get("/login", headers=GERMAN).get_data(as_text=True)

    assert chosen.headers["Location"] == "/login"
    assert "<h1>Se connecter</h1>" in page
    factories.login(client, email)
    client.post("/language", data={"language": "de"})
    session.expire_all()
    assert session.scalar(sa.select(User.language).where(User.email == email)) == "de"
    # On another device, with an English browser: the account's language.
    other = app.test_client()
    factories.login(other, email)
    schedule = other.get(f"/events/{ev.slug}/schedule",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)  # fmt: skip
    assert f"<h1>Mein Zeitplan bei {ev.name}</h1>" in schedule
    assert "Di., 14. Mai, 09:00–09:20" in schedule  # the date as German writes it
    assert ">Ihre Treffen nach Zeit</caption>" in schedule


def test_an_unknown_language_or_an_outside_address_changes_nothing(client):
    client.post("/language", data={"language": "xx"})
    answer = client.post("/language", data={"language": "de"},
                         headers={"Referer": "https://evil.example/x"})  # fmt: skip

    assert answer.headers["Location"] == "/"
    assert "<h1>Treffen Sie" in client.get("/").get_data(as_text=True)


def test_attendee_pages_forms_and_messages_in_french(app, session, client):
    ev, profiles = factories.published_event(session, people=4, group_slots=0)
    factories.login(client, profiles[0].user.email)
    client.post("/language", data={"language": "fr"})

    introductions = client.get(f"/events/{ev.slug}/introductions").get_data(as_text=True)
    profile = client.get(f"/events/{ev.slug}/profile").get_data(as_text=True)
    missing = client.get("/nothing-here").get_data(as_text=True)

    assert f"<h1>Vos mises en relation à {ev.name}</h1>" in introductions
    assert "<strong>Proposée : acceptez ou refusez</strong>" in introductions
    assert ">Accepter</button>" in introductions
    assert "mar. 14 mai, 09:00" in introductions
    assert '<label for="headline">Accroche</label>' in profile
    assert "Rencontres en tête-à-tête" in profile  # a vocabulary label, as a choice
    assert "<h1>Page introuvable</h1>" in missing
    saved = client.post(f"/events/{ev.slug}/profile", data={"name": "Ana", "format": "any"},
                        follow_redirects=True)  # fmt: skip
    assert "Votre profil est enregistré." in saved.get_data(as_text=True)
    refused = client.post(f"/events/{ev.slug}/profile",
                          data={"name": "Ana", "format": "any", "interests": "rust, a_b"})  # fmt: skip
    assert "&#39;a_b&#39; n’est pas un centre d’intérêt" in refused.get_data(as_text=True)
    assert 'value="rust, a_b"' in refused.get_data(as_text=True)  # what was typed, kept


def test_the_api_answers_in_english_whatever_the_browser_says(app, client):
    answer = client.get("/api/v1/events", headers=GERMAN)

    assert answer.get_json()["detail"].startswith("Send an organiser's API token")


def test_messages_are_written_in_the_readers_language(app, session, client):
    from tests.fakes import RecordingMailer

    app.extensions["mailer"] = mailer = RecordingMailer()
    ev = factories.event(session, factories.organiser(session))

    client.post(f"/join/{ev.join_token}", data={"name": "Zoé", "email": "zoe@example.org"},
                headers=FRENCH)  # fmt: skip
    factories.attendee(session, ev, email="hans@example.org", name="Hans")
    session.scalar(sa.select(User).where(User.email == "hans@example.org")).language = "de"
    session.commit()
    client.post("/password/forgot", data={"email": "hans@example.org"})
    runner.wait_for_threads()

    confirm, reset = mailer.sent
    assert confirm.subject == "Confirmez votre adresse pour terminer votre inscription"
    assert confirm.body.startswith("Bonjour Zoé,\n\nBienvenue sur matchmaker !")
    assert f"participer à {ev.name} :" in confirm.body
    assert session.scalar(sa.select(User.language).where(User.email == "zoe@example.org")) == "fr"
    assert reset.subject == "Wählen Sie ein neues Passwort für matchmaker"
    assert reset.body.startswith("Hallo Hans,\n\nJemand, wahrscheinlich Sie, möchte ein neues")


def test_a_change_of_schedule_is_told_in_german_with_german_dates(session):
    ev = factories.event(session, factories.organiser(session))
    start = datetime(2030, 5, 14, 10, 0, tzinfo=ev.zone)
    meeting = Appointment(starts_at=start, location="Tisch 1", kind="one_to_one",
                          others=("Bo",), topic="")  # fmt: skip

    body = render_mail("schedule_changed", "de", event=ev, profile=SimpleNamespace(name="Hans"),
                       first_time=True, added=[meeting], removed=[], moved=[], kept=[],
                       link="L")  # fmt: skip

    assert body == (
        "Hallo Hans,\n\n"
        f"Die Treffen, die die Veranstalter von {ev.name} für Sie geplant haben, stehen fest.\n\n"
        "Ihre Treffen (Zeiten in Europe/Berlin):\n"
        "- Di., 14. Mai, 10:00 bei Tisch 1: mit Bo\n\n"
        "Ihr Zeitplan: L\n"
    )


def test_the_attendees_own_pdf_and_calendar_are_in_their_language(app, session, client):
    import io

    from pypdf import PdfReader

    ev, profiles = factories.published_event(session, people=4, group_slots=0)
    factories.login(client, profiles[0].user.email)
    client.post("/language", data={"language": "de"})

    pdf = client.get(f"/events/{ev.slug}/schedule.pdf")
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    client.post("/language", data={"language": "fr"})
    calendar = client.get(f"/events/{ev.slug}/calendar.ics").get_data(as_text=True)
    token = client.get(f"/events/{ev.slug}/calendar").get_data(as_text=True)
    feed_path = re.search(r"/calendar/[^\"]+\.ics", token).group(0)
    feed = app.test_client().get(feed_path).get_data(as_text=True)

    assert "Zeiten in Europe/Berlin" in text
    assert "Wann" in text and "Mit wem, und ein Einstieg ins Gespräch" in text
    assert "Di., 14. Mai" in text
    assert "SUMMARY:Rencontre avec " in calendar
    assert "SUMMARY:Rencontre avec " in feed  # the feed: the account's language (fr now)


def test_what_services_say_is_shown_in_the_readers_language(app, session, client):
    ev, profiles = factories.published_event(session, people=4, group_slots=0)
    late = factories.attendee(session, ev, email="late@example.org", name="Late")

    wrong = client.post("/login", data={"email": "late@example.org", "password": "not it"},
                        headers=GERMAN)  # fmt: skip
    factories.login(client, late.user.email)
    client.post("/language", data={"language": "de"})
    none = client.get(f"/events/{ev.slug}/introductions").get_data(as_text=True)
    missing = client.get(f"/events/{ev.slug}/introductions/999999")

    assert "E-Mail-Adresse oder Passwort ist falsch." in wrong.get_data(as_text=True)
    assert ("<p>Sie haben Ihr Profil noch nicht ausgefüllt, daher konnte niemand zu Ihnen "
            "passend gefunden werden.</p>") in none  # fmt: skip
    assert missing.status_code == 404
    assert "Sie haben bei dieser Veranstaltung kein solches Treffen." in missing.get_data(
        as_text=True
    )


def test_the_organisers_toolchain_pages_in_german(session, client):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    client.post("/language", data={"language": "de"})

    events = client.get("/organiser/events").get_data(as_text=True)
    made = client.post("/organiser/tokens", data={"name": "Sync", "scope": "read"})
    webhooks = client.get(f"/organiser/events/{ev.id}/webhooks").get_data(as_text=True)
    tickets = client.get(f"/organiser/events/{ev.id}/pretix").get_data(as_text=True)

    assert "<h1>Ihre Veranstaltungen</h1>" in events
    assert ">API-Tokens</a>" in events
    assert "Ihr neues Token „Sync“" in made.get_data(as_text=True)
    assert '<label for="name">Name</label>' in made.get_data(as_text=True)
    assert '<h3 id="add-h">Webhook hinzufügen</h3>' in webhooks
    assert ">Tickets</a>" in webhooks and ">Überblick</a>" in webhooks
    assert "<h2>Teilnehmende aus pretix</h2>" in tickets
    assert "Einladen, sobald eine Bestellung aufgegeben ist, noch vor der Bezahlung" in tickets

"""The organiser's pages in German and French: every page of an event, its figures (kept
per event revision, and per language), the matcher's reasons, what the live page's script
receives, and why an import's line is refused."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

import matchmaker
from matchmaker.models import MatchRun, Meeting
from matchmaker.services.planning import matching
from tests import factories

CATALOGUES = matchmaker.__path__[0] + "/translations"


def _pages(ev, run_id, meeting_id, profile_id, slot_id, location_id):
    base = f"/organiser/events/{ev.id}"
    return [
        base, f"{base}/edit", f"{base}/timetable", f"{base}/slots/new", f"{base}/slots/generate",
        f"{base}/slots/{slot_id}/edit", f"{base}/locations/new",
        f"{base}/locations/{location_id}/edit", f"{base}/attendees",
        f"{base}/attendees/{profile_id}", f"{base}/import", f"{base}/runs",
        f"{base}/runs/{run_id}", f"{base}/runs/{run_id}/publish",
        f"{base}/meetings/{meeting_id}", f"{base}/pairs", f"{base}/responses",
        f"{base}/messages", f"{base}/live", f"{base}/report", f"{base}/exports",
        "/organiser/events/new",
    ]  # fmt: skip


def _english_left(page: str, language: str) -> list[str]:
    """Messages of the catalogue (sentences of 4 words or more) that the page shows in
    English although `language` says them otherwise."""
    with open(f"{CATALOGUES}/{language}/LC_MESSAGES/messages.po", "rb") as po:
        catalogue = read_po(po)
    left = []
    for message in catalogue:
        if isinstance(message.id, str) and "%" not in message.id and "<" not in message.id:
            if len(message.id.split()) >= 4 and message.string != message.id:
                if f">{message.id}<" in page or f"{message.id}</" in page:
                    left.append(message.id)
    return left


@pytest.mark.parametrize(("language", "words"), [
    ("de", ["Wo wir stehen", "Zeitfenster, Tische und Räume", "Teilnehmende (8)", "Tour"]),
    ("fr", ["Où en sont les choses", "Créneaux, tables et salles", "Participants (8)", "Tour"]),
])  # fmt: skip
def test_every_page_of_an_event_speaks_the_organisers_language(session, client, language, words):
    ev, profiles = factories.published_event(session)
    meeting = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id)
    ).first()
    again = matching.start_run(session, event=ev, actor_id=None, now=factories.PUBLISHED_AT,
                               timeout=timedelta(hours=1))  # fmt: skip
    matching.execute_run(session, run_id=again.id)
    factories.login(client, "org@example.org")
    client.post("/language", data={"language": language})
    pages = _pages(ev, again.id, meeting.id, profiles[0].id, ev.slots[0].id,
                   ev.locations[0].id)  # fmt: skip
    pages.append(f"/organiser/events/{ev.id}/runs/compare?first={ev.published_run_id}"
                 f"&second={again.id}")  # fmt: skip

    shown = {}
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        shown[url] = answer.get_data(as_text=True)
        assert _english_left(shown[url], language) == [], url

    everything = "\n".join(shown.values())
    for word in words[:3]:
        assert word in everything
    assert f'<html lang="{language}">' in shown[pages[0]]


def test_the_overview_and_review_figures_are_kept_per_language(session, client):
    ev, _ = factories.published_event(session)
    factories.login(client, "org@example.org")

    english = client.get(f"/organiser/events/{ev.id}").get_data(as_text=True)
    review = client.get(f"/organiser/events/{ev.id}/runs/{ev.published_run_id}")
    client.post("/language", data={"language": "de"})
    german = client.get(f"/organiser/events/{ev.id}").get_data(as_text=True)
    german_review = client.get(f"/organiser/events/{ev.id}/runs/{ev.published_run_id}")

    assert "<p>attendees joined</p>" in english
    assert "<p>Teilnehmende dabei</p>" in german and "attendees joined" not in german
    assert "of the best possible (a proven bound)" in review.get_data(as_text=True)
    assert "vom bestmöglichen (eine bewiesene Schranke)" in german_review.get_data(as_text=True)


def test_the_reasons_of_a_plan_are_read_in_german(session, client):
    ev, _ = factories.published_event(session)
    run = session.get(MatchRun, ev.published_run_id)
    reasons = [r for m in session.scalars(sa.select(Meeting).where(Meeting.run_id == run.id))
               for r in m.reasons]  # fmt: skip
    factories.login(client, "org@example.org")
    client.post("/language", data={"language": "de"})

    page = client.get(f"/organiser/events/{ev.id}/runs/{run.id}").get_data(as_text=True)

    assert any(r.startswith("Shared interests: ") for r in reasons)
    assert "Gemeinsame Interessen: " in page
    assert "Shared interests: " not in page


def test_the_live_figures_the_script_writes_are_in_french(session, client):
    ev, _ = factories.published_event(session)
    factories.login(client, "org@example.org")
    client.post("/language", data={"language": "fr"})

    live = client.get(f"/organiser/events/{ev.id}/live.json").get_json()

    first = live["slots"][0]
    assert first["state"] == "to come"  # the data stays as it is
    assert first["shown"]["state"] == "à venir"
    assert first["shown"]["checked_in"] == f"0 sur {first['seats']}"
    assert first["shown"]["rating"] == "–"
    assert live["now_shown"]  # written for the reader


def test_why_an_import_line_is_refused_is_said_in_german(session, client):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    client.post("/language", data={"language": "de"})
    data = b"name,email,seeks,interests\nAna,not-an-address,,\n,bo@example.org,fame,a_b\n"

    answer = client.post(f"/organiser/events/{ev.id}/import",
                         data={"file": (io.BytesIO(data), "people.csv")},
                         content_type="multipart/form-data")  # fmt: skip
    preview = client.get(answer.headers["Location"]).get_data(as_text=True)

    assert "E-Mail &#39;not-an-address&#39; ist keine E-Mail-Adresse" in preview
    assert "Name ist leer; &#39;a_b&#39; ist kein Interesse" in preview
    assert "; seeks: &#39;fame&#39; ist nicht eines von" in preview
    assert "<p>abgelehnt</p>" in preview


def test_the_organisers_printouts_are_in_their_language(session, client):
    from pypdf import PdfReader

    from matchmaker import runner

    ev, _ = factories.published_event(session)
    factories.login(client, "org@example.org")
    client.post("/language", data={"language": "de"})

    def text(answer) -> str:
        return PdfReader(io.BytesIO(answer.get_data())).pages[0].extract_text()

    signs = text(client.get(f"/organiser/events/{ev.id}/exports/locations-pdf"))
    grid = text(client.get(f"/organiser/events/{ev.id}/exports/grid-pdf"))
    started = client.post(f"/organiser/events/{ev.id}/exports/attendees-pdf")
    runner.wait_for_threads()
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    status = client.get(started.headers["Location"] + "/status").get_json()
    people = text(client.get(started.headers["Location"] + "/file"))

    assert "Zeiten in Europe/Berlin" in signs and "Wann" in signs and "Wer" in signs
    assert "Di., 14. Mai,\n13:00–13:45" in signs
    assert f"{ev.name}: Raster, Room 1 – Table 4" in grid and "Zeitfenster" in grid
    assert "Zeiten in Europe/Berlin" in people and "Mit wem, und ein Einstieg" in people
    assert "„" in people  # the starter, quoted as German quotes
    assert status["phase"] == "fertig"
    assert f"{ev.slug}-attendees.pdf herunterladen" in page

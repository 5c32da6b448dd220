"""CSV and iCalendar exports, read back with independent readers (the csv module, the
icalendar package) and checked against the rules of RFC 5545 one by one."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from matchmaker.exports.csv import HEADER, schedule_csv
from matchmaker.exports.ical import schedule_ics
from matchmaker.services.errors import Conflict
from matchmaker.services.people import attendance
from matchmaker.services.planning import matching, publishing
from matchmaker.services.schedules import published as schedule_rows
from tests import factories
from tests.fakes import RecordingMailer

NAMES = ["Łukasz Żółć", "Αλέξανδρος", "Дмитрий", "Tim (文昌) Hsu", '=HYPERLINK("x")']
DST_SUNDAY = date(2030, 3, 31)  # Europe/Berlin moves its clocks at 02:00 that night


@pytest.fixture
def published(session):
    """A published plan across the night the clocks change, with non-Latin names."""
    owner = factories.organiser(session)
    ev = factories.event(session, owner, starts_on=date(2030, 3, 30), ends_on=DST_SUNDAY)
    factories.slot(session, ev, start=time(10, 0), end=time(10, 20), day=date(2030, 3, 30))
    factories.slot(session, ev, start=time(10, 0), end=time(10, 20), day=DST_SUNDAY)
    from matchmaker.services.setup import timetable

    timetable.add_locations(session, event=ev, name="Table", capacity=2, count=3)
    session.refresh(ev)
    for k, name in enumerate(NAMES):
        profile = factories.filled_profile(session, ev, k)
        attendance.save_profile(
            session,
            slug=ev.slug,
            user_id=profile.user_id,
            data=attendance.ProfileData(
                name=name, interests=("python",), available_slot_ids=tuple(s.id for s in ev.slots)
            ),
        )
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    run = matching.execute_run(session, run_id=run.id)
    publishing.publish_run(session, event=ev, run_id=run.id, now=datetime.now(UTC),
                           mailer=RecordingMailer(), schedule_link="x")  # fmt: skip
    return ev, run


def _schedule(session, ev, email=None):
    return schedule_rows.published_schedule(
        session, event=ev, now=datetime.now(UTC), attendee_email=email
    )


def test_nothing_published_is_said(session):
    ev, _ = factories.matchable_event(session)

    with pytest.raises(Conflict, match="Nothing is published"):
        _schedule(session, ev)


def test_the_csv_reads_back_with_every_meeting_of_every_attendee(session, published):
    ev, run = published
    schedule = _schedule(session, ev)

    export = schedule_csv(schedule)
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8"), newline="")))

    assert tuple(rows[0]) == HEADER
    seats = sum(len(m.seats) for m in run.meetings)
    assert len(rows) - 1 == seats
    assert {r[1] for r in rows[1:]} <= set(NAMES) | {"'" + NAMES[4]}
    assert "Tim (文昌) Hsu" in {r[1] for r in rows[1:]}
    assert export.data.decode().count("\r\n") == len(rows)
    assert export.filename == f"{ev.slug}-schedule.csv"


def test_no_csv_cell_runs_as_a_formula(session, published):
    ev, _ = published

    text = schedule_csv(_schedule(session, ev)).data.decode()
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]

    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    assert '\'=HYPERLINK("x")' in cells


def test_the_bom_option_puts_a_byte_order_mark_first(session, published):
    ev, _ = published

    assert schedule_csv(_schedule(session, ev), bom=True).data.startswith(b"\xef\xbb\xbf")
    assert not schedule_csv(_schedule(session, ev)).data.startswith(b"\xef\xbb\xbf")


def _ics(session, ev, email=None, now=None):
    schedule = _schedule(session, ev, email)
    return schedule_ics(schedule, host="meet.example.org", per_person=email is not None, now=now)


def test_the_calendar_keeps_rfc_5545(session, published):
    ev, run = published
    data = _ics(session, ev).data

    text = data.decode("utf-8")
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"].startswith("-//matchmaker//")
    assert len(events) == len(run.meetings)
    for event in events:
        assert event["UID"].endswith("@meet.example.org")
        assert "DTSTAMP" in event
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    tzids = {tz["TZID"] for tz in calendar.walk("VTIMEZONE")}
    assert tzids == {"Europe/Berlin"}


def test_the_calendar_is_what_icalendar_writes_with_its_timezones(session, published):
    # The VTIMEZONE is written once and kept (exports/ical.py): the calendar must be the
    # one icalendar itself writes when it adds the missing time zones.
    ev, _ = published
    stamp = datetime(2030, 1, 1, tzinfo=UTC)
    for email in (None, "person3@example.org"):
        data = _ics(session, ev, email=email, now=stamp).data
        calendar = Calendar.from_ical(data)
        calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
        calendar.add_missing_timezones(first_date=date(2029, 1, 1), last_date=date(2031, 12, 31))

        assert data == calendar.to_ical()


def test_times_are_right_on_both_sides_of_the_clock_change(session, published):
    ev, _ = published
    calendar = Calendar.from_ical(_ics(session, ev).data)

    starts = sorted({e.decoded("DTSTART").astimezone(UTC) for e in calendar.walk("VEVENT")})

    # 10:00 in Berlin is 09:00 UTC before the change (CET) and 08:00 UTC after it (CEST).
    assert starts == [
        datetime(2030, 3, 30, 9, 0, tzinfo=UTC),
        datetime(2030, 3, 31, 8, 0, tzinfo=UTC),
    ]


def test_a_meetings_uid_is_the_same_in_every_export(session, published):
    ev, _ = published

    first = Calendar.from_ical(_ics(session, ev, now=datetime(2030, 1, 1, tzinfo=UTC)).data)
    second = Calendar.from_ical(_ics(session, ev, now=datetime(2030, 2, 1, tzinfo=UTC)).data)

    assert [e["UID"] for e in first.walk("VEVENT")] == [e["UID"] for e in second.walk("VEVENT")]


def test_one_attendees_calendar_has_their_meetings_and_escaped_text(session, published):
    ev, _ = published
    email = "person3@example.org"  # Tim (文昌) Hsu

    export = _ics(session, ev, email=email)
    calendar = Calendar.from_ical(export.data)

    rows = _schedule(session, ev, email).rows
    assert len(calendar.walk("VEVENT")) == len(rows) >= 1
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert all(s.startswith("Meet ") for s in summaries)
    assert "Tim (文昌) Hsu" not in " ".join(summaries)  # their own name is not in their calendar


def test_text_is_escaped_and_round_trips():
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from matchmaker.exports.schedule import Schedule, ScheduleRow

    zone = ZoneInfo("Europe/Berlin")
    row = ScheduleRow(
        meeting_key="1-2-3-4",
        attendee="Ana",
        email="ana@example.org",
        starts_at=datetime(2030, 5, 14, 10, 0, tzinfo=zone),
        ends_at=datetime(2030, 5, 14, 10, 20, tzinfo=zone),
        location="Table 1; by the window, left",
        kind="one_to_one",
        others=("Bo, Jr.",),
        topic="",
        starter="Line one,\nBEGIN:VEVENT; done",
    )
    event = SimpleNamespace(name="Conf", slug="conf", timezone="Europe/Berlin")

    export = schedule_ics(Schedule(event=event, rows=[row]), host="h", per_person=True)
    text = export.data.decode()
    entry = Calendar.from_ical(export.data).walk("VEVENT")[0]

    assert "LOCATION:Table 1\\; by the window\\, left" in text
    assert "SUMMARY:Meet Bo\\, Jr." in text
    assert str(entry["LOCATION"]) == "Table 1; by the window, left"
    assert str(entry["DESCRIPTION"]) == "With Bo, Jr.\nTo start: Line one,\nBEGIN:VEVENT; done"
    assert [c.name for c in Calendar.from_ical(export.data).subcomponents] == [
        "VTIMEZONE",
        "VEVENT",
    ]


def test_an_unknown_attendee_is_named(session, published):
    ev, _ = published

    with pytest.raises(Exception, match="nobody@example.org is not an attendee of PyCon Test"):
        _schedule(session, ev, "nobody@example.org")


def _pdf_text(export) -> tuple[int, str, set]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(export.data))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.add(
                ("/FontFile2" in descriptor.get_object(), str(font.get_object()["/BaseFont"]))
            )
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages), fonts


def test_the_attendee_pdf_has_a_page_each_in_every_script_with_fonts_embedded(session, published):
    from matchmaker.exports.pdf import attendees_pdf

    ev, _ = published
    schedule = _schedule(session, ev)

    pages, text, fonts = _pdf_text(attendees_pdf(schedule))
    large_pages, large_text, _ = _pdf_text(attendees_pdf(schedule, large_print=True))

    people = {r.attendee for r in schedule.rows}
    assert pages == len(people)
    for name in ("Łukasz Żółć", "Αλέξανδρος", "Дмитрий", "Tim (文昌) Hsu"):
        assert name in text
    assert all(embedded for embedded, _ in fonts)
    assert any("DejaVuSans" in name for _, name in fonts)
    assert any("DroidSansFallback" in name for _, name in fonts)  # the CJK glyphs
    assert "Times in Europe/Berlin" in text
    assert "Sat 30 Mar" in text and "Sun 31 Mar" in text and "10:00–10:20" in text
    assert large_pages >= pages and "Tim (文昌) Hsu" in large_text


def test_a_sign_per_location_and_the_grid(session, published):
    from matchmaker.exports.pdf import grid_pdf, locations_pdf

    ev, _ = published
    schedule = _schedule(session, ev)

    sign_pages, signs, _ = _pdf_text(locations_pdf(schedule))
    grid_pages, grid, _ = _pdf_text(grid_pdf(schedule))

    places = {r.location for r in schedule.rows}
    assert sign_pages == len(places)
    assert all(place in signs for place in places)
    assert grid_pages == 1 and "Sun 31 Mar" in grid and "Дмитрий" in grid


def test_each_sign_carries_its_check_in_code_and_a_qr_code_of_its_address(session, published):
    from pypdf import PdfReader

    from matchmaker.exports.pdf import locations_pdf
    from matchmaker.text import natural_key

    ev, _ = published
    schedule = _schedule(session, ev)
    link = lambda code: f"https://meet.example.org/events/{ev.slug}/here/{code}"  # noqa: E731

    export = locations_pdf(schedule, table_link=link)

    codes = {r.location: r.location_code for r in schedule.rows}
    reader = PdfReader(io.BytesIO(export.data))
    places = sorted(codes, key=natural_key)  # a page each, in this order
    assert len(reader.pages) == len(places)
    for page, place in zip(reader.pages, places, strict=True):
        text = page.extract_text()
        assert place in text and f"check in with {codes[place]}" in text
        links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
        assert links == [link(codes[place])]
    assert all(len(c) == 5 for c in codes.values())

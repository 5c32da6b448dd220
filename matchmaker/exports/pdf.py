"""Printed schedules as PDF (fpdf2, fonts embedded): a page per attendee, a sign per table or
room, and the master grid of slots by locations.

The fonts ship with the project (`exports/fonts/`, licences in its README): DejaVu Sans for
Latin, Greek and Cyrillic, and Droid Sans Fallback for Chinese, Japanese and Korean, used
glyph by glyph where DejaVu has none. `MATCHMAKER_FONT_DIR` (folders, `:`-separated) is
searched first.
"""

import os
from collections import defaultdict
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.fonts import FontFace

from matchmaker.catalogue import N_, say
from matchmaker.exports import PDF, Export
from matchmaker.exports.schedule import Schedule, ScheduleRow
from matchmaker.matcher_words import said_in
from matchmaker.text import natural_key
from matchmaker.vocabulary import MeetingKind
from matchmaker.written import written

FONT_DIRS = [Path(__file__).with_name("fonts")]
FONTS = {
    ("Sans", ""): "DejaVuSans.ttf",
    ("Sans", "B"): "DejaVuSans-Bold.ttf",
    ("Fallback", ""): "DroidSansFallbackFull.ttf",
}
GRID_COLUMNS = 6  # locations per grid page; more go on further pages


class FontsMissing(RuntimeError):
    """A PDF font is not where it should be; the message says which and where."""


def _font_path(name: str) -> Path:
    dirs = [Path(d) for d in os.environ.get("MATCHMAKER_FONT_DIR", "").split(":") if d]
    for folder in dirs + FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    searched = ", ".join(str(d) for d in dirs + FONT_DIRS)
    raise FontsMissing(
        f"The font {name} is missing from {searched}: it ships with matchmaker "
        "(matchmaker/exports/fonts); restore the checkout or set MATCHMAKER_FONT_DIR."
    )


def _document(orientation: str = "P") -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    for (family, style), file in FONTS.items():
        pdf.add_font(family, style, _font_path(file))
    pdf.set_fallback_fonts(["Fallback"], exact_match=False)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.set_creator("matchmaker")
    return pdf


def _when(row: ScheduleRow, language: str | None) -> str:
    day, start, end = (written(row.starts_at, "short_day", language),
                       written(row.starts_at, "clock", language),
                       written(row.ends_at, "clock", language))  # fmt: skip
    return f"{day}, {start}–{end}"


def _with(row: ScheduleRow, language: str | None = None) -> str:
    if row.kind == MeetingKind.GROUP:
        group = (say(language, N_("Small group on %(topic)s"), topic=row.topic) if row.topic
                 else say(language, N_("Small group")))  # fmt: skip
        return f"{group}: {', '.join(row.others)}"
    return ", ".join(row.others)


def attendees_pdf(
    schedule: Schedule,
    *,
    large_print: bool = False,
    on_page: Callable[[int, int], None] | None = None,
) -> Export:
    """One page per attendee: their meetings and groups with time, place, people and one
    conversation starter each; `on_page(done, total)` follows the attendees done."""
    pdf = _document()
    size = 15 if large_print else 10.5
    language = schedule.language
    pdf.set_title(say(language, N_("%(event)s: schedules"), event=schedule.event.name))
    people = len({(r.attendee, r.email) for r in schedule.rows})
    groups = groupby(schedule.rows, key=lambda r: (r.attendee, r.email))
    for done, ((name, _email), rows) in enumerate(groups, start=1):
        rows = list(rows)
        pdf.add_page()
        pdf.set_font("Sans", "", size)
        pdf.cell(0, size * 0.6, schedule.event.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "B", size * 2)
        pdf.multi_cell(0, size, name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", size * 0.9)
        zone = say(language, N_("Times in %(zone)s"), zone=schedule.event.timezone)
        pdf.cell(0, size * 0.6, zone, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(size * 0.4)
        _meeting_rows(pdf, rows, size, language)
        if on_page:
            on_page(done, people)
    stem = f"{schedule.event.slug}-attendees{'-large' if large_print else ''}"
    return PDF.file(bytes(pdf.output()), stem)


def _meeting_rows(pdf: FPDF, rows: list[ScheduleRow], size: float, language=None) -> None:
    """The attendee's meetings as rows: time and place on one line each (no wrapping to
    measure, which is what makes long PDFs slow), the people and the starter wrapped."""
    line = size * 0.5
    when_w, where_w = size * 3.5, size * 2.4
    rest_w = pdf.w - pdf.l_margin - pdf.r_margin - when_w - where_w
    pdf.set_font("Sans", "B", size)
    pdf.cell(when_w, line * 1.4, say(language, N_("When")))
    pdf.cell(where_w, line * 1.4, say(language, N_("Where")))
    pdf.cell(rest_w, line * 1.4, say(language, N_("With, and a way to start")),
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    for row in rows:
        top = pdf.get_y()
        if top + line * 4 > pdf.h - pdf.b_margin:
            pdf.add_page()
            top = pdf.get_y()
        pdf.line(pdf.l_margin, top, pdf.w - pdf.r_margin, top)
        pdf.set_font("Sans", "", size)
        pdf.set_xy(pdf.l_margin, top + 1)
        pdf.cell(when_w, line, written(row.starts_at, "short_day", language))
        pdf.cell(where_w, line, row.location)
        pdf.multi_cell(rest_w, line, _with(row, language), align="L", new_x="LMARGIN",
                       new_y="NEXT")  # fmt: skip
        bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin, top + 1 + line)
        clock = (
            f"{written(row.starts_at, 'clock', language)}–{written(row.ends_at, 'clock', language)}"
        )
        pdf.cell(when_w, line, clock)
        if row.starter:
            pdf.set_font("Sans", "", size * 0.9)
            pdf.set_xy(pdf.l_margin + when_w + where_w, bottom)
            starter = say(language, N_("“%(starter)s”"), starter=said_in(language, row.starter))
            pdf.multi_cell(rest_w, line, starter, align="L", new_x="LMARGIN", new_y="NEXT")
            bottom = pdf.get_y()
        pdf.set_y(max(bottom, top + 1 + 2 * line) + 1.5)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())


def locations_pdf(schedule: Schedule, table_link: Callable[[str], str] | None = None) -> Export:
    """A sign for each table or room: its meetings by time, with the people's names; with
    `table_link` (a location's code -> the address that checks in there), its short code and
    a QR code of that address, for "I'm here" at the table."""
    pdf = _document()
    language = schedule.language
    pdf.set_title(say(language, N_("%(event)s: tables and rooms"), event=schedule.event.name))
    by_place: dict[str, dict] = defaultdict(dict)
    codes: dict[str, str] = {}
    for row in schedule.rows:
        entry = by_place[row.location].setdefault(row.meeting_key, [row, set()])
        entry[1].add(row.attendee)
        codes[row.location] = row.location_code
    for place in sorted(by_place, key=natural_key):
        pdf.add_page()
        if table_link is not None and codes[place]:
            _check_in_corner(pdf, codes[place], table_link(codes[place]))
        pdf.set_font("Sans", "B", 40)
        pdf.multi_cell(130, 18, place, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", 11)
        zone = say(language, N_("times in %(zone)s"), zone=schedule.event.timezone)
        pdf.cell(0, 7, f"{schedule.event.name} · {zone}", new_x="LMARGIN", new_y="NEXT")
        if table_link is not None and codes[place]:
            scan = say(language, N_("At your meeting? Scan the code, or check in with %(code)s"),
                       code=codes[place])  # fmt: skip
            pdf.cell(0, 7, scan, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), 15 + QR_SIZE + 8))
        pdf.set_font("Sans", "", 13)
        with pdf.table(col_widths=(50, 130), headings_style=FontFace(emphasis="BOLD"),
                       line_height=7, text_align="LEFT") as table:  # fmt: skip
            table.row([say(language, N_("When")), say(language, N_("Who"))])
            for row, people in sorted(by_place[place].values(), key=lambda e: e[0].starts_at):
                table.row([_when(row, language), ", ".join(sorted(people))])
    return PDF.file(bytes(pdf.output()), f"{schedule.event.slug}-locations")


QR_SIZE = 40  # mm, the side of a sign's QR code (quiet zone included)


def _check_in_corner(pdf: FPDF, code: str, link: str) -> None:
    """The QR code of `link` in the page's top right corner, drawn as squares (sharp at any
    size, and no image to embed), with the code under it."""
    qr = segno.make(link, error="m")
    rows = [list(r) for r in qr.matrix_iter(border=2)]
    module = QR_SIZE / len(rows)
    left = pdf.w - pdf.r_margin - QR_SIZE
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                pdf.rect(left + x * module, 15 + y * module, module, module, style="F")
    pdf.link(left, 15, QR_SIZE, QR_SIZE, link)
    top = pdf.get_y()
    pdf.set_xy(left, 15 + QR_SIZE)
    pdf.set_font("Sans", "B", 14)
    pdf.cell(QR_SIZE, 7, code, align="C")
    pdf.set_xy(pdf.l_margin, top)


def grid_pdf(schedule: Schedule) -> Export:
    """The master grid for the organisers' desk: slots down, locations across (a few
    locations per page), the people of each meeting in its cell."""
    pdf = _document("L")
    language = schedule.language
    pdf.set_title(say(language, N_("%(event)s: grid"), event=schedule.event.name))
    cells: dict[tuple, set] = defaultdict(set)
    slots, places = set(), set()
    for row in schedule.rows:
        cells[(row.starts_at, row.location)].add(row.attendee)
        slots.add((row.starts_at, row.ends_at))
        places.add(row.location)
    ordered = sorted(places, key=natural_key)
    for first in range(0, max(len(ordered), 1), GRID_COLUMNS):
        columns = ordered[first : first + GRID_COLUMNS]
        pdf.add_page()
        pdf.set_font("Sans", "B", 14)
        if columns:
            heading = say(language, N_("%(event)s: grid, %(first)s – %(last)s"),
                          event=schedule.event.name, first=columns[0],
                          last=columns[-1])  # fmt: skip
        else:
            heading = schedule.event.name
        pdf.cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", 8.5)
        width = (pdf.w - 30 - 32) / max(len(columns), 1)
        widths = (32, *([width] * len(columns)))
        bold = FontFace(emphasis="BOLD")
        with pdf.table(col_widths=widths, line_height=4.5, headings_style=bold,
                       text_align="LEFT") as table:  # fmt: skip
            table.row([say(language, N_("Slot")), *columns])
            for start, end in sorted(slots):
                day, clock = (
                    written(start, "short_day", language),
                    written(start, "clock", language),
                )
                table.row(
                    [f"{day}\n{clock}–{written(end, 'clock', language)}"]
                    + [", ".join(sorted(cells.get((start, place), ()))) for place in columns]
                )
    return PDF.file(bytes(pdf.output()), f"{schedule.event.slug}-grid")

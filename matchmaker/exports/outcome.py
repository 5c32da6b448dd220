"""An event's outcome report as CSV: a row per slot under a stable header (the figures of
`services/introductions/report.py`), then a row of totals."""

import csv
import io

from matchmaker.exports import CSV, Export
from matchmaker.exports.csv import neutralise

HEADER = (
    "starts_at", "ends_at", "label", "meetings", "confirmed", "held", "seats", "checked_in",
    "no_shows", "found_someone_else", "answer_rate", "average_rating", "connections",
)  # fmt: skip


def _cell(value) -> str:
    return "" if value is None else str(value)


def outcome_csv(slug: str, rows: list[dict], totals: dict, *, bom: bool = False) -> Export:
    """The report's rows (`SlotFigures.as_json()`) and its totals as CSV."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in [*rows, totals]:
        writer.writerow(
            neutralise(_cell(row.get(key)))
            for key in (
                "starts_at", "ends_at", "label", "meetings", "confirmed", "held", "seats",
                "checked_in", "no_shows", "standby", "answer_rate", "rating", "connections",
            )
        )  # fmt: skip
    data = ("\ufeff" if bom else "") + out.getvalue()
    return CSV.file(data.encode("utf-8"), f"{slug}-outcome")

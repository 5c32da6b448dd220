"""Dates and times as a language writes them: English as these pages always have (day first,
24-hour clock), other languages by CLDR's pattern for the same skeleton (Babel). No Flask:
pages (`i18n.py`) and mail (`services/core/messages.py`) both use it."""

from datetime import date, datetime

from babel import dates

ENGLISH = "en"
FORMS = {
    "day": ("%a %d %b %Y", "yMMMEd"),  # Tue 14 May 2030
    "long_day": ("%A %d %B", "MMMMEEEEd"),  # Tuesday 14 May
    "full_day": ("%d %B %Y", "yMMMMd"),  # 14 May 2030
    "medium_day": ("%d %b %Y", "yMMMd"),  # 14 Sep 2030
    "short_day": ("%a %d %b", "MMMEd"),  # Tue 14 May
    "day_time": ("%a %d %b, %H:%M", "MMMEd, Hm"),  # Tue 14 May, 10:00
    "clock": ("%H:%M", "Hm"),  # 10:00
    "slot": ("%a %d %b %H:%M", "MMMEd, Hm"),  # Tue 14 May 10:00
    "weekday_clock": ("%a %H:%M", "E, Hm"),  # Tue 10:00
    "day_month": ("%d %b", "MMMd"),  # 14 May
    "stamp": ("%d %b %H:%M", "MMMd, Hm"),  # 14 May 10:00
    "full_stamp": ("%d %b %Y %H:%M", "yMMMd, Hm"),  # 14 May 2030 10:00
}


def written(value: date | datetime, form: str, language: str | None) -> str:
    """`value` in `form` (a key of FORMS) as `language` writes it, in the zone it carries."""
    english, skeleton = FORMS[form]
    if not language or language == ENGLISH:
        return value.strftime(english)
    return ", ".join(dates.format_skeleton(part, value, locale=language)
                     for part in skeleton.split(", "))  # fmt: skip

"""Dates and times as each language writes them: the one place that formats them.

The formats are in `goingsolo/formats/<language>/formats.py` (FORMAT_MODULE_PATH), and
docs/voice.md says which one goes where. Templates write `{{ value|when:"long_datetime" }}`
(`{% load dates %}`); Python calls `format_when(value, "long_datetime")`. Machines get
ISO 8601 (`value.isoformat()`, `|date:"c"` in a `datetime` attribute), never these.

    style            English                              French
    date             3 Dec 2026                           3 déc. 2026
    datetime         3 Dec 2026, 18:30                    3 déc. 2026 à 18 h 30
    time             18:30                                18 h 30
    long_date        Thursday 3 December 2026             jeudi 3 décembre 2026
    long_datetime    Thursday 3 December 2026, 18:30      jeudi 3 décembre 2026 à 18 h 30
    day_month        3 December                           3 décembre
    day              3                                    3 (1er on the first)
    month_abbr       Dec                                  déc.
"""

import datetime
import importlib
import zoneinfo

from django.utils import dateformat, formats, timezone, translation

STYLES = {
    "date": "DATE_FORMAT",
    "datetime": "DATETIME_FORMAT",
    "time": "TIME_FORMAT",
    "long_date": "LONG_DATE_FORMAT",
    "long_datetime": "LONG_DATETIME_FORMAT",
    "day_month": "MONTH_DAY_FORMAT",
    "day": "DAY_FORMAT",
    "month_abbr": "MONTH_ABBR_FORMAT",
}


def format_string(style, language=None):
    """The format of STYLE in LANGUAGE (the active language by default)."""
    return _named_format(STYLES[style], language)


def _named_format(name, language=None):
    language = language or translation.get_language() or "en"
    # Django's own names go through Django, which reads our modules first.
    if name in formats.FORMAT_SETTINGS:
        return formats.get_format(name, lang=language)
    for module in formats.get_format_modules(language):
        if hasattr(module, name):
            return getattr(module, name)
    # A language without a module of ours writes as the English one does.
    return getattr(importlib.import_module("goingsolo.formats.en.formats"), name)


def format_when(value, style, *, zone=None):
    """VALUE (a date, a datetime or a time) written in STYLE, in the active language.

    An aware datetime is written in ZONE (a tzinfo or a zone name) when one is given, else
    in its own, like Django's `date_format`."""
    if value in (None, ""):
        return ""
    if zone is not None and isinstance(value, datetime.datetime) and timezone.is_aware(value):
        if isinstance(zone, str):
            zone = zoneinfo.ZoneInfo(zone)
        value = timezone.localtime(value, zone)
    fmt = format_string(style)
    if isinstance(value, datetime.date) and value.day == 1 and "j" in fmt:
        fmt = fmt.replace("j", _named_format("FIRST_DAY_FORMAT"))
    if isinstance(value, datetime.time):
        return dateformat.time_format(value, fmt)
    return dateformat.format(value, fmt)


def format_span(start, end, *, zone=None):
    """An event's time from START to END in ZONE (the active time zone by default):
    "Thursday 3 December 2026, 18:30 – 21:00", the end's date written again only when it
    is another day."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    local_start = timezone.localtime(start, zone)
    local_end = timezone.localtime(end, zone)
    end_style = "time" if local_start.date() == local_end.date() else "long_datetime"
    return f"{format_when(local_start, 'long_datetime')} – {format_when(local_end, end_style)}"

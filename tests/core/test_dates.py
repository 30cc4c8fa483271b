"""Dates and times as each language writes them (docs/voice.md): one set of formats, and no
format written anywhere else."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from goingsolo.core.dates import STYLES, format_span, format_when

ROOT = Path(__file__).resolve().parents[2] / "goingsolo"
ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
# Thursday 3 December 2026, 18:30 in Zurich.
EVENING = datetime.datetime(2026, 12, 3, 17, 30, tzinfo=datetime.UTC)
FIRST_OF_MAY = datetime.datetime(2026, 5, 1, 7, 5, tzinfo=datetime.UTC)  # 09:05 in Zurich

EXPECTED = {
    "en": {
        "date": "3 Dec 2026",
        "datetime": "3 Dec 2026, 18:30",
        "time": "18:30",
        "long_date": "Thursday 3 December 2026",
        "long_datetime": "Thursday 3 December 2026, 18:30",
        "day_month": "3 December",
        "day": "3",
        "month_abbr": "Dec",
    },
    "fr": {
        "date": "3 déc. 2026",
        "datetime": "3 déc. 2026 à 18\u00a0h\u00a030",
        "time": "18\u00a0h\u00a030",
        "long_date": "jeudi 3 décembre 2026",
        "long_datetime": "jeudi 3 décembre 2026 à 18\u00a0h\u00a030",
        "day_month": "3 décembre",
        "day": "3",
        "month_abbr": "déc.",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_style_is_written_as_the_style_sheet_says(language):
    assert set(EXPECTED[language]) == set(STYLES)
    with translation.override(language):
        written = {style: format_when(EVENING, style, zone=ZURICH) for style in STYLES}
    assert written == EXPECTED[language]


def test_french_writes_the_first_of_the_month_1er_and_english_does_not():
    with translation.override("fr"):
        assert format_when(FIRST_OF_MAY, "long_datetime", zone=ZURICH) == (
            "vendredi 1er mai 2026 à 9\u00a0h\u00a005"
        )
        assert format_when(datetime.date(2026, 12, 1), "date") == "1er déc. 2026"
    with translation.override("en"):
        assert format_when(FIRST_OF_MAY, "long_datetime", zone=ZURICH) == "Friday 1 May 2026, 09:05"


def test_french_months_and_days_are_lowercase_and_abbreviations_keep_their_full_stop():
    with translation.override("fr"):
        months = [
            format_when(datetime.date(2026, month, 14), "month_abbr") for month in range(1, 13)
        ]
        days = [format_when(datetime.date(2026, 12, day), "long_date") for day in range(14, 21)]
    assert months == [
        "janv.", "févr.", "mars", "avr.", "mai", "juin",
        "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ]  # fmt: skip
    assert all(text == text.lower() for text in months + days)


def test_a_span_writes_the_end_date_again_only_on_another_day():
    later = EVENING + datetime.timedelta(hours=3)
    next_day = EVENING + datetime.timedelta(days=1)
    with translation.override("fr"):
        assert format_span(EVENING, later, zone="Europe/Zurich") == (
            "jeudi 3 décembre 2026 à 18\u00a0h\u00a030 – 21\u00a0h\u00a030"
        )
    with translation.override("en"):
        assert format_span(EVENING, next_day, zone="Europe/Zurich") == (
            "Thursday 3 December 2026, 18:30 – Friday 4 December 2026, 18:30"
        )


def test_the_when_filter_shows_the_zone_of_the_page_or_the_one_chosen():
    template = Template(
        '{% load tz dates %}{{ at|when:"time" }} · {{ at|timezone:"America/Toronto"|when:"time" }}'
    )
    with translation.override("en"), timezone.override(ZURICH):
        assert template.render(Context({"at": EVENING})) == "18:30 · 12:30"


# What a hand-written format looks like: Django's date and time filters with a format,
# strftime, and Django's formatting functions called outside goingsolo.core.dates.
DATE_FILTER = re.compile(r"""\|(?:date|time)\b(?::\s*(['"])(?P<format>[^'"]*)\1)?""")
PYTHON_FORMATTING = re.compile(r"\.strftime\(|\b(?:date_format|time_format)\(|dateformat\.")


def test_no_template_writes_a_date_format_of_its_own():
    offenders = []
    for path in ROOT.rglob("templates/**/*"):
        if path.suffix not in (".html", ".txt"):
            continue
        for match in DATE_FILTER.finditer(path.read_text()):
            # |date:"c" is ISO 8601, for machines: a <time datetime="…"> attribute.
            if match.group("format") != "c":
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == [], "Use {{ value|when:'style' }} (goingsolo/core/dates.py)"


def test_no_python_code_formats_a_date_for_people_by_hand():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.match("core/dates.py") or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if PYTHON_FORMATTING.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "Use goingsolo.core.dates.format_when (docs/voice.md)"

"""The time zones members choose from: current names only, old names mapped to them."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.utils import translation

from goingsolo.core import time_zones


def test_the_list_offers_current_zones_and_no_alias():
    names = time_zones.canonical_names()
    assert names[0] == "UTC"
    assert {"America/Los_Angeles", "Europe/Zurich", "Europe/Oslo", "Asia/Kolkata"} <= set(names)
    for alias in ("US/Pacific", "Asia/Calcutta", "Europe/Kiev", "GMT", "Etc/GMT+5", "CET"):
        assert alias not in names
    # Far fewer than the ~600 names zoneinfo knows, and every one of them loads.
    assert 350 < len(names) < 500
    for name in names:
        zoneinfo.ZoneInfo(name)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Europe/Zurich", "Europe/Zurich"),
        ("US/Pacific", "America/Los_Angeles"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Etc/UTC", "UTC"),
        ("Zulu", "UTC"),
        ("GMT", "UTC"),
        (" europe/paris ", "Europe/Paris"),
        ("America/New York", "America/New_York"),
        ("Etc/GMT+5", None),
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_a_name_maps_to_the_zone_it_stands_for(name, canonical):
    assert time_zones.canonical_name(name) == canonical


def test_labels_say_the_place_the_country_and_the_offset_of_the_moment():
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, tzinfo=UTC)
    assert time_zones.label("Europe/Zurich", now=winter) == "Zurich, Switzerland (UTC+01:00)"
    assert time_zones.label("Europe/Zurich", now=summer) == "Zurich, Switzerland (UTC+02:00)"
    assert time_zones.label("Asia/Kathmandu", now=winter) == "Kathmandu, Nepal (UTC+05:45)"
    assert (
        time_zones.label("America/Argentina/Buenos_Aires", now=winter)
        == "Buenos Aires, Argentina (UTC-03:00)"
    )
    with translation.override("fr"):
        assert time_zones.label("Europe/Zurich", now=winter) == "Zurich, Suisse (UTC+01:00)"
        assert dict(time_zones.choices())["UTC"] == "Temps universel coordonné (UTC+00:00)"

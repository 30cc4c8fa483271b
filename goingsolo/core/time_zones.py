"""The time zones people choose from: current, canonical names, with old names mapped.

`zoneinfo.available_timezones()` lists every name the tz database knows, about 600 of them,
links included: "US/Pacific", "Asia/Calcutta", "Europe/Kiev", "Etc/GMT+5"… Offered as is,
that is a long list full of aliases, some of them names the world stopped using. The
database says itself which names are current: `zone.tab` lists one zone per country and
region (Europe/Zurich, Europe/Oslo, America/Los_Angeles…), and its compact data file
`tzdata.zi` says which name each link stands for ("L Asia/Kolkata Asia/Calcutta").

Those files come from the `tzdata` package (pinned in pyproject.toml), else from the
system's zoneinfo folder. Browsers report what ICU calls a zone, which is sometimes an
alias (Chromium says "Asia/Calcutta"): `canonical_name` maps it to the name offered here.

`validate_time_zone` is the one rule, with its message, for a zone stored on a row (a
member's, an event's): any name the database knows, links included.
"""

import zoneinfo
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

UTC = "UTC"
# What the zero-offset zones of the database (Etc/UTC, Etc/GMT and their links: "Zulu",
# "Universal", "GMT"…) become: the one name members know.
_UTC_TARGETS = {"Etc/UTC", "Etc/GMT"}


def _read_tz_file(name):
    """The text of one of the database's files, from the tzdata package or the system."""
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / name
        if path.exists():
            return path.read_text(encoding="utf-8")
    return ""


@cache
def _database():
    """(canonical name → country code, link name → target name)."""
    available = zoneinfo.available_timezones()
    zones = {}
    for line in _read_tz_file("zone.tab").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, name, *_comments = line.split("\t")
        if name in available:
            zones.setdefault(name, country)
    links = {}
    for line in _read_tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _kind, target, link = line.split()
            links[link] = target
    return zones, links


def known_zone(name):
    """The ZoneInfo of NAME when the tz database knows it (links included), else None."""
    if name not in zoneinfo.available_timezones():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def validate_time_zone(value):
    """Refuses a NAME the tz database does not know: the rule of every stored zone."""
    if known_zone(value) is None:
        raise ValidationError(
            _("“%(zone)s” is not a known time zone."), params={"zone": value}, code="time_zone"
        )


def canonical_names():
    """The zones offered, sorted: UTC, then one per country and region."""
    zones, _links = _database()
    return [UTC, *sorted(zones)]


@cache
def _by_lower_name():
    zones, links = _database()
    names = {name.lower(): name for name in (*links, *zones, *_UTC_TARGETS, UTC)}
    return names


def canonical_name(name):
    """The offered zone NAME stands for, or None.

    Case and spaces do not matter ("america/new york"); a link gives the zone it points
    to ("US/Pacific" → "America/Los_Angeles", "Asia/Calcutta" → "Asia/Kolkata"); the
    zero-offset names give "UTC". A zone the list does not offer and no link leads to
    ("Etc/GMT+5") gives None.
    """
    name = "_".join((name or "").strip().split(" "))
    name = _by_lower_name().get(name.lower())
    if name is None:
        return None
    zones, links = _database()
    for _hop in range(5):  # links point to zones; a few hops at most, never a loop
        if name == UTC or name in zones:
            return name
        if name in _UTC_TARGETS:
            return UTC
        name = links.get(name)
        if name is None:
            return None
    return None


def _offset(name, now):
    offset = now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _place(name):
    """ "America/Argentina/Buenos_Aires" → "Buenos Aires"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def label(name, now=None):
    """What a person reads next to NAME: "Zurich, Switzerland (UTC+01:00)", in the active
    language, with the offset of the moment (summer time included)."""
    now = now or timezone.now()
    if name == UTC:
        return _("Coordinated Universal Time (UTC+00:00)")
    zones, _links = _database()
    country = countries.name(zones.get(name, "")) or ""
    values = {"place": _place(name), "country": country, "offset": _offset(name, now)}
    if country:
        return _("%(place)s, %(country)s (UTC%(offset)s)") % values
    return _("%(place)s (UTC%(offset)s)") % values


def choices():
    """[(name, label)] of every offered zone, labelled in the active language."""
    now = timezone.now()
    # Offsets change at the top of an hour: one list per language and hour is enough.
    return _choices(
        translation.get_language() or "", now.replace(minute=0, second=0, microsecond=0)
    )


@lru_cache(maxsize=8)
def _choices(language, hour: datetime):
    return [(name, label(name, now=hour)) for name in canonical_names()]

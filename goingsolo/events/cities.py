"""Where cities are, so the reach view can say who lives *near* a city.

Members give a city as free text on their profile; there are no coordinates on the member
row. This table knows the coordinates of the demo's cities and of common cities where
the community lives, under their usual spellings (Genève / Geneva / Genf). Two known
cities are near each other when the great-circle distance between them is within the
radius. A city the table does not know matches only a city of the same name (compared
without case or accents), so it still counts "in the city", never "near" it.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0
DEFAULT_RADIUS_KM = 60
RADIUS_CHOICES_KM = (0, 25, 60, 100, 200)


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    latitude: float
    longitude: float


# name, country, latitude, longitude, other spellings
_PLACES = [
    # Switzerland
    ("Lausanne", "CH", 46.5197, 6.6323, ()),
    ("Genève", "CH", 46.2044, 6.1432, ("Geneva", "Genf", "Ginevra")),
    ("Neuchâtel", "CH", 46.9900, 6.9293, ("Neuenburg",)),
    ("Zürich", "CH", 47.3769, 8.5417, ("Zurich", "Zuerich")),
    ("Fribourg", "CH", 46.8065, 7.1620, ("Freiburg im Üechtland",)),
    ("Vevey", "CH", 46.4628, 6.8419, ()),
    ("Montreux", "CH", 46.4312, 6.9107, ()),
    ("Morges", "CH", 46.5113, 6.4985, ()),
    ("Nyon", "CH", 46.3833, 6.2396, ()),
    ("Yverdon-les-Bains", "CH", 46.7785, 6.6410, ("Yverdon",)),
    ("Sion", "CH", 46.2331, 7.3606, ("Sitten",)),
    ("Bern", "CH", 46.9480, 7.4474, ("Berne",)),
    ("Basel", "CH", 47.5596, 7.5886, ("Bâle", "Basle")),
    ("Lugano", "CH", 46.0037, 8.9511, ()),
    ("La Chaux-de-Fonds", "CH", 47.1035, 6.8328, ()),
    # France
    ("Paris", "FR", 48.8566, 2.3522, ()),
    ("Lyon", "FR", 45.7640, 4.8357, ("Lyons",)),
    ("Bordeaux", "FR", 44.8378, -0.5792, ()),
    ("Marseille", "FR", 43.2965, 5.3698, ("Marseilles",)),
    ("Annecy", "FR", 45.8992, 6.1294, ()),
    ("Grenoble", "FR", 45.1885, 5.7245, ()),
    ("Lille", "FR", 50.6292, 3.0573, ()),
    ("Nantes", "FR", 47.2184, -1.5536, ()),
    ("Toulouse", "FR", 43.6047, 1.4442, ()),
    ("Strasbourg", "FR", 48.5734, 7.7521, ()),
    ("Nice", "FR", 43.7102, 7.2620, ()),
    ("Rennes", "FR", 48.1173, -1.6778, ()),
    ("Montpellier", "FR", 43.6108, 3.8767, ()),
    ("Thonon-les-Bains", "FR", 46.3705, 6.4793, ("Thonon",)),
    ("Évian-les-Bains", "FR", 46.4009, 6.5897, ("Evian",)),
    # Belgium, Luxembourg, Netherlands
    ("Bruxelles", "BE", 50.8503, 4.3517, ("Brussels", "Brussel")),
    ("Liège", "BE", 50.6326, 5.5797, ("Liege", "Luik")),
    ("Anvers", "BE", 51.2194, 4.4025, ("Antwerp", "Antwerpen")),
    ("Gand", "BE", 51.0543, 3.7174, ("Ghent", "Gent")),
    ("Luxembourg", "LU", 49.6116, 6.1319, ("Luxemburg",)),
    ("Amsterdam", "NL", 52.3676, 4.9041, ()),
    ("Rotterdam", "NL", 51.9244, 4.4777, ()),
    ("Utrecht", "NL", 52.0907, 5.1214, ()),
    # United Kingdom, Ireland
    ("Leeds", "GB", 53.8008, -1.5491, ()),
    ("Bradford", "GB", 53.7960, -1.7594, ()),
    ("Harrogate", "GB", 53.9921, -1.5418, ()),
    ("York", "GB", 53.9600, -1.0873, ()),
    ("Sheffield", "GB", 53.3811, -1.4701, ()),
    ("Manchester", "GB", 53.4808, -2.2426, ()),
    ("Liverpool", "GB", 53.4084, -2.9916, ()),
    ("Birmingham", "GB", 52.4862, -1.8904, ()),
    ("London", "GB", 51.5072, -0.1276, ("Londres",)),
    ("Bristol", "GB", 51.4545, -2.5879, ()),
    ("Edinburgh", "GB", 55.9533, -3.1883, ("Édimbourg",)),
    ("Glasgow", "GB", 55.8642, -4.2518, ()),
    ("Dublin", "IE", 53.3498, -6.2603, ()),
    # Rest of Europe
    ("Berlin", "DE", 52.5200, 13.4050, ()),
    ("München", "DE", 48.1351, 11.5820, ("Munich",)),
    ("Hamburg", "DE", 53.5511, 9.9937, ("Hambourg",)),
    ("Köln", "DE", 50.9375, 6.9603, ("Cologne", "Koeln")),
    ("Frankfurt am Main", "DE", 50.1109, 8.6821, ("Frankfurt", "Francfort")),
    ("Wien", "AT", 48.2082, 16.3738, ("Vienna", "Vienne")),
    ("Milano", "IT", 45.4642, 9.1900, ("Milan",)),
    ("Torino", "IT", 45.0703, 7.6869, ("Turin",)),
    ("Roma", "IT", 41.9028, 12.4964, ("Rome",)),
    ("Barcelona", "ES", 41.3874, 2.1686, ("Barcelone",)),
    ("Madrid", "ES", 40.4168, -3.7038, ()),
    ("Lisboa", "PT", 38.7223, -9.1393, ("Lisbon", "Lisbonne")),
    ("Porto", "PT", 41.1579, -8.6291, ()),
    ("København", "DK", 55.6761, 12.5683, ("Copenhagen", "Copenhague")),
    ("Stockholm", "SE", 59.3293, 18.0686, ()),
    ("Oslo", "NO", 59.9139, 10.7522, ()),
    ("Helsinki", "FI", 60.1699, 24.9384, ()),
    ("Praha", "CZ", 50.0755, 14.4378, ("Prague",)),
    ("Warszawa", "PL", 52.2297, 21.0122, ("Warsaw", "Varsovie")),
    # Americas
    ("Montréal", "CA", 45.5019, -73.5674, ("Montreal",)),
    ("Québec", "CA", 46.8139, -71.2080, ("Quebec", "Quebec City", "Ville de Québec")),
    ("Ottawa", "CA", 45.4215, -75.6972, ()),
    ("Toronto", "CA", 43.6532, -79.3832, ()),
    ("Vancouver", "CA", 49.2827, -123.1207, ()),
    ("New York", "US", 40.7128, -74.0060, ("New York City", "NYC", "Brooklyn")),
    ("Boston", "US", 42.3601, -71.0589, ()),
    ("Chicago", "US", 41.8781, -87.6298, ()),
    ("San Francisco", "US", 37.7749, -122.4194, ()),
    ("Oakland", "US", 37.8044, -122.2712, ()),
    ("Los Angeles", "US", 34.0522, -118.2437, ()),
    ("Seattle", "US", 47.6062, -122.3321, ()),
    ("Ciudad de México", "MX", 19.4326, -99.1332, ("Mexico City", "Mexico")),
    ("Buenos Aires", "AR", -34.6037, -58.3816, ()),
    ("São Paulo", "BR", -23.5505, -46.6333, ("Sao Paulo",)),
    # Africa, Asia, Oceania
    ("Dakar", "SN", 14.7167, -17.4677, ()),
    ("Casablanca", "MA", 33.5731, -7.5898, ()),
    ("Rabat", "MA", 34.0209, -6.8416, ()),
    ("Tunis", "TN", 36.8065, 10.1815, ()),
    ("Alger", "DZ", 36.7538, 3.0588, ("Algiers",)),
    ("Abidjan", "CI", 5.3600, -4.0083, ()),
    ("Tokyo", "JP", 35.6762, 139.6503, ()),
    ("Seoul", "KR", 37.5665, 126.9780, ("Séoul",)),
    ("Singapore", "SG", 1.3521, 103.8198, ("Singapour",)),
    ("Hong Kong", "HK", 22.3193, 114.1694, ()),
    ("Melbourne", "AU", -37.8136, 144.9631, ()),
    ("Sydney", "AU", -33.8688, 151.2093, ()),
]


def normalise(name):
    """ "  Genève " → "geneve": no case, no accents, one space between words."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.split(r"[\s\-'’]+", text.casefold().strip())).strip()


_BY_NAME = {}
for _name, _country, _lat, _lon, _others in _PLACES:
    _place = Place(_name, _country, _lat, _lon)
    for _spelling in (_name, *_others):
        _BY_NAME[normalise(_spelling)] = _place


def find(name):
    """The known Place for NAME, or None."""
    return _BY_NAME.get(normalise(name))


def distance_km(a, b):
    """Great-circle (haversine) distance between two Places."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def same_city(a, b):
    """Whether two city names mean the same city (spellings of a known city included)."""
    if not normalise(a) or not normalise(b):
        return False
    place_a, place_b = find(a), find(b)
    if place_a is not None and place_b is not None:
        return place_a == place_b
    return normalise(a) == normalise(b)


def is_near(a, b, radius_km=DEFAULT_RADIUS_KM):
    """Whether city A is city B or, both being known, within RADIUS_KM of it."""
    if same_city(a, b):
        return True
    place_a, place_b = find(a), find(b)
    if place_a is None or place_b is None:
        return False
    return distance_km(place_a, place_b) <= radius_km


def canonical(name):
    """The usual spelling of a known city ("Geneva" → "Genève"), else the name as given."""
    place = find(name)
    return place.name if place else " ".join((name or "").split())

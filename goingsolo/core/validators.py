"""Bounds on dates and numbers that every form and service shares.

Python's dates stop at year 1 and 9999, and the database's integers at 2**31 - 1 (an
integer column) or 2**63 - 1 (an id): a year 9999 moved to another time zone or given a
day more, or a capacity of 10**20, used to end in a server error. Forms and query
parameters check these bounds first and answer with a translated error (or ignore the
parameter); services check them again, being the last word whoever calls them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Far enough from year 1 and 9999 for any time zone and any number of days added, wide
# enough for old mail archives and events decades ahead.
YEAR_MIN = 1900
YEAR_MAX = 2199
# The largest number a form takes: what an integer column holds on every database.
INTEGER_MAX = 2**31 - 1
# The largest id a query parameter may name (a bigint column).
ID_MAX = 2**63 - 1


def validate_year(value):
    """VALUE (a date or datetime) falls between YEAR_MIN and YEAR_MAX."""
    if isinstance(value, datetime.date) and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            _("Give a date between the years %(first)d and %(last)d.")
            % {"first": YEAR_MIN, "last": YEAR_MAX},
            code="year_out_of_range",
        )


def query_id(value):
    """A query parameter read as an id or a page number: the positive integer it holds,
    or None when it holds anything else (a word, a number no database holds)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= ID_MAX else None

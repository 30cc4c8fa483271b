"""``{{ value|when:"long_datetime" }}``: a date or time as the active language writes it.

The styles and their formats: `goingsolo.core.dates` and docs/voice.md. Like Django's
``date`` filter, an aware datetime is shown in the current time zone, or in the zone a
``|timezone:…`` filter before it chose. An ISO 8601 string (a job's context) is read
first, and shown in the current time zone.
"""

import datetime

from django import template
from django.utils import timezone

from goingsolo.core.dates import format_span, format_when

register = template.Library()


@register.filter(expects_localtime=True)
def when(value, style="datetime"):
    if isinstance(value, str) and value:
        # An ISO 8601 moment from a stored job's context (emails are rendered by jobs,
        # whose arguments are JSON): shown in the current time zone.
        value = timezone.localtime(datetime.datetime.fromisoformat(value))
    # The template engine (or a |timezone filter) already put VALUE in the zone to show.
    return format_when(value, style, zone=getattr(value, "tzinfo", None))


@register.simple_tag
def when_span(start, end, zone=None):
    """``{% when_span event.starts_at event.ends_at event.time_zone %}``."""
    return format_span(start, end, zone=zone)

"""``{{ value|when:"long_datetime" }}``: a date or time as the active language writes it.

The styles and their formats: `goingsolo.core.dates` and docs/voice.md. Like Django's
``date`` filter, an aware datetime is shown in the current time zone, or in the zone a
``|timezone:…`` filter before it chose.
"""

from django import template

from goingsolo.core.dates import format_span, format_when

register = template.Library()


@register.filter(expects_localtime=True)
def when(value, style="datetime"):
    # The template engine (or a |timezone filter) already put VALUE in the zone to show.
    return format_when(value, style, zone=getattr(value, "tzinfo", None))


@register.simple_tag
def when_span(start, end, zone=None):
    """``{% when_span event.starts_at event.ends_at event.time_zone %}``."""
    return format_span(start, end, zone=zone)

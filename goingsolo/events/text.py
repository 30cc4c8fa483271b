"""Events written as plain text, in the active language (docs/voice.md): the times and
place that announcements, their replies and in-app notifications say, and the one-line
form of what an organiser or a member typed (questions, answers)."""

import re

from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.dates import format_when


def one_line(text):
    """TEXT on one line, its runs of spaces and line breaks made one space. A non-breaking
    space is kept: French writes one before "?" (docs/voice.md)."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", str(text)).strip()


def times(event):
    """The start, end and zone of EVENT in the event's zone, as the active language writes
    them: "Thursday 3 December 2026, 18:30", and the end's time alone when it is the same
    day. A dict, for messages that place them ("%(start)s – %(end)s (%(zone)s)")."""
    start = timezone.localtime(event.starts_at, event.zone)
    end = timezone.localtime(event.ends_at, event.zone)
    end_style = "time" if start.date() == end.date() else "long_datetime"
    return {
        "start": format_when(start, "long_datetime", zone=event.zone),
        "end": format_when(end, end_style, zone=event.zone),
        "zone": event.time_zone,
    }


def when_where_lines(event):
    """ "When: …" and "Where: …" (the venue, or online), one line each."""
    lines = [_("When: %(start)s – %(end)s (%(zone)s)") % times(event)]
    if event.place_line:
        lines.append(_("Where: %(place)s") % {"place": event.place_line})
    elif event.online_url:
        lines.append(_("Where: online (the link is given to registered people)"))
    return lines


def when_where_line(event):
    """ "Monday 4 May 2026, 18:00 – 20:00 (Europe/Zurich) · venue, city": a notification's
    excerpt, written in each recipient's language."""
    when = "{start} – {end} ({zone})".format(**times(event))
    return " · ".join(part for part in (when, event.place_line) if part)


def check_title(check):
    """What an interest check asks, in the active language: its thread's title, its
    notifications' and its emails'."""
    return _("Would you come? %(kind)s in %(city)s") % {
        "kind": check.get_kind_display(),
        "city": check.city,
    }

"""iCalendar (RFC 5545) files for events: one event, a group's feed, a member's feed, and
the cancellation notice attached to an email (an iTIP CANCEL, RFC 5546).

Times are written in the event's own time zone, with the VTIMEZONE component that
defines it, so calendar applications show the right local time across DST changes.
A cancelled event keeps its UID with STATUS:CANCELLED and a higher SEQUENCE, so the
applications that hold it mark it cancelled instead of keeping a stale copy.
"""

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from goingsolo.core.markdown import render_plain

PRODUCT_ID = "-//goingsolo//events//EN"


def event_uid(event):
    return f"event-{event.pk}@{settings.GOINGSOLO_MAIL_DOMAIN}"


def _vevent(event, *, with_online_link=False):
    url = settings.SITE_URL + event.get_absolute_url()
    # Calendar applications show text: the description without its Markdown.
    description = render_plain(event.description or "")
    if with_online_link and event.online_url:
        description = f"{event.online_url}\n\n{description}".strip()
    description = f"{description}\n\n{url}".strip()
    zone = event.zone
    component = VEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", timezone.now())
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", event.title)
    component.add("description", description)
    component.add("url", url)
    component.add("sequence", event.sequence)
    component.add("last-modified", event.updated_at)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    location = event.place_line
    if with_online_link and event.online_url and not location:
        location = event.online_url
    if location:
        component.add("location", location)
    component.add("categories", [event.get_kind_display()])
    return component


def _calendar(method):
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def calendar_for(events, *, name="", language="en", online_link_for=()):
    """An iCalendar document (bytes) for EVENTS, written in LANGUAGE.

    ONLINE_LINK_FOR: ids of the events whose online link the reader may see.
    """
    online_link_for = set(online_link_for)
    with translation.override(language):
        calendar = _calendar("PUBLISH")
        if name:
            calendar.add("x-wr-calname", name)
            calendar.add("name", name)
        for event in events:
            calendar.add_component(_vevent(event, with_online_link=event.pk in online_link_for))
        calendar.add_missing_timezones()
    return calendar.to_ical()


def cancellation_for(event, *, attendee, language="en"):
    """An iTIP CANCEL (RFC 5546, 3.2.5) of cancelled EVENT for the address ATTENDEE (bytes).

    CANCEL requires ORGANIZER: the group, at the address its emails come from. Calendar
    applications match the event by its UID and apply the higher SEQUENCE.
    """
    with translation.override(language):
        calendar = _calendar("CANCEL")
        component = _vevent(event)  # STATUS:CANCELLED, with the SEQUENCE the cancelling bumped
        organizer = vCalAddress(f"mailto:noreply@{settings.GOINGSOLO_MAIL_DOMAIN}")
        organizer.params["cn"] = event.group.name
        component.add("organizer", organizer)
        component.add("attendee", vCalAddress(f"mailto:{attendee}"))
        calendar.add_component(component)
        calendar.add_missing_timezones()
    return calendar.to_ical()


CONTENT_TYPE = "text/calendar; charset=utf-8"


def parts_calendar_for(event, parts, *, name="", language="en"):
    """An iCalendar document (bytes) of parts of EVENT (sessions, talks…), written in
    LANGUAGE. PARTS: dicts with "uid" (unique within the event), "summary", "start",
    "end", and optional "location", "description", "url" (a path of the site)."""
    with translation.override(language):
        calendar = _calendar("PUBLISH")
        if name:
            calendar.add("x-wr-calname", name)
            calendar.add("name", name)
        zone = event.zone
        for part in parts:
            component = VEvent()
            component.add("uid", f"event-{event.pk}-{part['uid']}@{settings.GOINGSOLO_MAIL_DOMAIN}")
            component.add("dtstamp", timezone.now())
            component.add("dtstart", part["start"].astimezone(zone))
            component.add("dtend", part["end"].astimezone(zone))
            component.add("summary", part["summary"])
            location = ", ".join(item for item in (part.get("location"), event.place_line) if item)
            if location:
                component.add("location", location)
            url = settings.SITE_URL + part["url"] if part.get("url") else ""
            description = "\n\n".join(item for item in (part.get("description"), url) if item)
            if description:
                component.add("description", description)
            if url:
                component.add("url", url)
            calendar.add_component(component)
        calendar.add_missing_timezones()
    return calendar.to_ical()

"""Calendars: one event, a group's feed, a member's secret feed; valid RFC 5545 with the
VTIMEZONE of each event's zone."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from goingsolo.events import calendars, services
from goingsolo.events.models import CalendarFeed
from goingsolo.groups.models import Membership, Role
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def assert_valid(calendar, zones):
    """The parts RFC 5545 requires, and a VTIMEZONE for every TZID used."""
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert set(zones) <= tzids
    for vevent in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in vevent, required
        assert vevent.DTEND > vevent.DTSTART
        assert str(vevent["DTSTART"].params["TZID"]) in tzids
    # Lines are folded at 75 octets and end with CRLF.
    raw = calendar.to_ical()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_an_event_calendar_file_is_valid_and_in_the_events_zone(client, group, make_event):
    start = (timezone.now() + timedelta(days=20)).replace(
        hour=7, minute=30, second=0, microsecond=0
    )
    event = make_event(
        starts_at=start, ends_at=start + timedelta(hours=9), time_zone="America/Toronto"
    )
    client.force_login(member_of(group))
    calendar = parse(client.get(reverse("events:ics", args=[group.slug, event.pk])))
    assert_valid(calendar, ["America/Toronto"])
    [vevent] = calendar.walk("VEVENT")
    assert vevent.DTSTART == event.starts_at
    assert str(vevent.DTSTART.tzinfo) == "America/Toronto"
    assert str(vevent["UID"]) == calendars.event_uid(event)
    assert "Lausanne" in str(vevent["LOCATION"])


def test_calendar_applications_get_the_description_as_text_without_markdown(
    client, group, make_event
):
    event = make_event(description_en="**Bring a laptop.** See [the map](https://example.org/map).")
    client.force_login(member_of(group))
    [vevent] = parse(client.get(reverse("events:ics", args=[group.slug, event.pk]))).walk("VEVENT")
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("Bring a laptop. See the map.")
    assert "**" not in description and "](" not in description


def test_the_groups_feed_lists_its_events_with_every_zone(client, make_event, organiser):
    public = GroupFactory(visibility="public", slug="leeds")
    member_of(public, Role.ADMIN, email="oliver@example.org")
    Membership.objects.create(group=public, user=organiser, role=Role.ADMIN)
    make_event(in_group=public, title_en="Leeds coffee", time_zone="Europe/London")
    make_event(in_group=public, title_en="Online talk", time_zone="America/Montreal")
    calendar = parse(client.get(reverse("events:group_feed", args=["leeds"])))  # anonymous
    assert_valid(calendar, ["Europe/London", "America/Montreal"])
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == [
        "Leeds coffee",
        "Online talk",
    ]


def test_the_personal_feed_has_the_events_i_have_a_seat_at_and_is_revocable(
    client, group, make_event, register
):
    going_to, waiting_for, not_mine = (
        make_event(title_en="Going", capacity=5),
        make_event(title_en="Waiting", capacity=1),
        make_event(title_en="Not mine"),
    )
    me = member_of(group)
    register(going_to, me)
    register(waiting_for, member_of(group))
    register(waiting_for, me)
    feed = services.calendar_feed_renew(user=me)

    calendar = parse(client.get(feed.get_absolute_url()))
    assert_valid(calendar, ["Europe/Zurich"])
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Going"]
    assert not_mine

    old_url = feed.get_absolute_url()
    new = services.calendar_feed_renew(user=me)
    assert client.get(old_url).status_code == 404
    assert client.get(new.get_absolute_url()).status_code == 200
    services.calendar_feed_revoke(user=me)
    assert client.get(new.get_absolute_url()).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_personal_feed_page_makes_renews_and_turns_off_the_address(client, group):
    me = member_of(group)
    client.force_login(me)
    client.post(reverse("events:my_calendar"), {"action": "renew"})
    first = CalendarFeed.objects.get(user=me).token
    assert first in client.get(reverse("events:my_calendar")).text
    client.post(reverse("events:my_calendar"), {"action": "renew"})
    assert CalendarFeed.objects.get(user=me).token != first
    client.post(reverse("events:my_calendar"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=me).exists()


def test_the_online_link_is_in_the_calendar_of_people_with_a_seat_only(
    client, group, make_event, register
):
    event = make_event(kind="online", online_url="https://meet.example.org/x", capacity=5)
    seated, other = member_of(group), member_of(group)
    register(event, seated)
    url = reverse("events:ics", args=[group.slug, event.pk])
    client.force_login(seated)
    assert b"https://meet.example.org/x" in client.get(url).content
    client.force_login(other)
    assert b"https://meet.example.org/x" not in client.get(url).content


def test_a_calendar_of_an_event_in_utc_needs_no_vtimezone(group, make_event):
    event = make_event(time_zone="UTC")
    calendar = icalendar.Calendar.from_ical(calendars.calendar_for([event]))
    [vevent] = calendar.walk("VEVENT")
    assert vevent.DTSTART == event.starts_at


def test_an_outsider_with_a_feed_token_does_not_get_a_closed_groups_feed(client, group, make_event):
    make_event()
    outsider = UserFactory()
    feed = services.calendar_feed_renew(user=outsider)
    url = reverse("events:group_feed", args=[group.slug])
    assert client.get(url, {"token": feed.token}).status_code == 404
    member_feed = services.calendar_feed_renew(user=member_of(group))
    assert len(parse(client.get(url, {"token": member_feed.token})).walk("VEVENT")) == 1

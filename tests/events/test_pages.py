"""Every page of events renders for the people who may see it, without inline code."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from goingsolo.events import services
from goingsolo.events.models import Speaker, Talk
from tests.events.conftest import open_interest_check
from tests.factories import member_of

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def conference(make_event, organiser):
    past = timezone.now() - timedelta(days=30)
    event = make_event(
        kind="conference",
        title_en="Going Solo Lausanne",
        starts_at=past,
        ends_at=past + timedelta(hours=9),
        capacity=100,
    )
    speaker = services.speaker_save(event=event, by=organiser, name="Anna Guest", bio="Coach.")
    services.talk_save(
        event=event,
        by=organiser,
        title="Setting your prices",
        abstract="How much is an hour worth?",
        language="fr",
        starts_at=past + timedelta(hours=1),
        ends_at=past + timedelta(hours=2),
        room="Salle A",
        speakers=[speaker],
        recording_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        slides_url="https://example.org/slides.pdf",
    )
    return event


def test_every_page_renders_for_the_organiser_without_inline_code(
    client, organiser, group, make_event, conference
):
    upcoming = make_event(capacity=3, questions_en=["What do you do?"])
    member = member_of(group)
    services.registration_set(event=upcoming, user=member, status="going", answers={0: "Design"})
    check = open_interest_check(group, organiser, days=(30, 90), threshold=5)
    cancelled = make_event(title_en="Called off")
    services.registration_set(event=cancelled, user=member, status="going")
    services.event_cancel(event=cancelled, by=organiser, message="Sorry.")
    talk = Talk.objects.get()
    speaker = Speaker.objects.get()
    client.force_login(organiser)
    e = [group.slug, upcoming.pk]
    c = [group.slug, conference.pk]
    x = [group.slug, cancelled.pk]
    urls = [
        reverse("events:upcoming"),
        reverse("events:my_calendar"),
        reverse("events:group_events", args=[group.slug]),
        reverse("events:create", args=[group.slug]),
        reverse("events:reach", args=[group.slug]) + "?city=Lausanne",
        reverse("events:checks", args=[group.slug]),
        reverse("events:check_create", args=[group.slug]),
        reverse("events:check", args=[group.slug, check.pk]),
        reverse("events:check_convert", args=[group.slug, check.pk]),
        reverse("events:detail", args=e),
        reverse("events:edit", args=e),
        reverse("events:attendees", args=e),
        reverse("events:checkin", args=e),
        reverse("events:message", args=e),
        reverse("events:cancel", args=e),
        reverse("events:delete", args=e),
        reverse("events:detail", args=x),
        reverse("events:cancel", args=x),
        reverse("events:delete", args=x),
        reverse("events:detail", args=c),
        reverse("events:agenda", args=c),
        reverse("events:speaker", args=[*c, speaker.pk]),
        reverse("events:speaker_create", args=c),
        reverse("events:speaker_edit", args=[*c, speaker.pk]),
        reverse("events:talk_create", args=c),
        reverse("events:talk_edit", args=[*c, talk.pk]),
        reverse("events:talk_watch", args=[*c, talk.pk]),
        reverse("groups:detail", args=[group.slug]),
        reverse("home"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, EVENT_HANDLER):
            found = pattern.search(page)
            assert found is None, f"{url}: {found.group(0)}"


def test_the_group_and_home_pages_show_upcoming_events(client, group, make_event):
    make_event(title_en="Coffee in Lausanne")
    member = member_of(group)
    client.force_login(member)
    assert "Coffee in Lausanne" in client.get(reverse("groups:detail", args=[group.slug])).text
    assert "Coffee in Lausanne" in client.get(reverse("home")).text


def test_the_event_page_shows_times_in_the_events_zone_and_in_the_viewers(
    client, group, make_event
):
    start = timezone.now().replace(month=1, day=15, hour=9, minute=0, second=0, microsecond=0)
    start = start.replace(year=timezone.now().year + 1)
    zurich = start.astimezone(timezone.get_fixed_timezone(0))
    event = make_event(
        starts_at=zurich, ends_at=zurich + timedelta(hours=8), time_zone="Europe/Zurich"
    )
    viewer = member_of(group, time_zone="America/Toronto")
    client.force_login(viewer)
    page = client.get(event.get_absolute_url()).text
    assert "10:00" in page  # 09:00 UTC in Zurich in January
    assert "Europe/Zurich" in page
    assert "In your time zone (America/Toronto)" in page
    assert "04:00" in page  # and in Toronto


def test_the_online_link_is_shown_only_to_people_with_a_seat(client, group, make_event, register):
    event = make_event(kind="online", online_url="https://meet.example.org/solo", capacity=1)
    seated, waiting = member_of(group), member_of(group)
    register(event, seated)
    register(event, waiting)
    client.force_login(seated)
    assert "https://meet.example.org/solo" in client.get(event.get_absolute_url()).text
    client.force_login(waiting)
    page = client.get(event.get_absolute_url()).text
    assert "https://meet.example.org/solo" not in page
    assert "shown to people who have a seat" in page


def test_the_venue_has_an_openstreetmap_link_and_no_embedded_map(client, group, make_event):
    event = make_event()
    client.force_login(member_of(group))
    page = client.get(event.get_absolute_url()).text
    assert "https://www.openstreetmap.org/search?query=Rue+de+Gen%C3%A8ve+17%2C+Lausanne" in page
    assert "<iframe" not in page


def test_registering_on_the_web(client, group, make_event):
    event = make_event(capacity=1, questions_en=["What do you do?"])
    member = member_of(group)
    client.force_login(member)
    response = client.post(
        reverse("events:register", args=[group.slug, event.pk]),
        {"status": "going", "answer_0": "Translator"},
        follow=True,
    )
    assert "You have a seat" in response.text
    other = member_of(group)
    client.force_login(other)
    response = client.post(
        reverse("events:register", args=[group.slug, event.pk]), {"status": "going"}, follow=True
    )
    assert "waiting list" in response.text

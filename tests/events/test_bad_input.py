"""Bad input gets a clear, translated error and changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from goingsolo.events import services
from goingsolo.events.models import Event, Registration, Talk
from tests.events.conftest import event_fields
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    start = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%dT10:00")
    end = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%dT18:00")
    data = {
        "kind": "conference",
        "title_en": "Going Solo Lausanne",
        "time_zone": "Europe/Zurich",
        "starts_at": start,
        "ends_at": end,
        "city": "Lausanne",
        "capacity": "80",
    }
    data.update(overrides)
    return data


def test_an_end_before_the_start_is_refused(client, group, organiser):
    client.force_login(organiser)
    day = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%d")
    response = client.post(
        reverse("events:create", args=[group.slug]),
        form_data(starts_at=f"{day}T18:00", ends_at=f"{day}T10:00"),
    )
    assert response.status_code == 200
    assert "The event must end after it starts." in response.text
    assert not Event.objects.exists()


def test_an_unknown_time_zone_is_refused(client, group, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("events:create", args=[group.slug]), form_data(time_zone="Europe/Lausane")
    )
    assert "“Europe/Lausane” is not a known time zone." in response.text
    assert not Event.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.event_create(group=group, by=organiser, **event_fields(time_zone="Mars/Olympus"))
    assert "time_zone" in error.value.message_dict
    assert not Event.objects.exists()


def test_a_capacity_under_the_registered_count_is_refused(
    client, group, organiser, make_event, register
):
    event = make_event(capacity=5)
    for _ in range(3):
        register(event, member_of(group))
    client.force_login(organiser)
    data = form_data(capacity="2", title_en=event.title_en, kind=event.kind)
    response = client.post(reverse("events:edit", args=[group.slug, event.pk]), data)
    assert "3 people already have a seat: the capacity cannot be lower." in response.text
    event.refresh_from_db()
    assert event.capacity == 5 and event.title_en == "Coffee and co-working"


def test_more_seats_go_to_the_waiting_list_in_order(group, organiser, make_event, register):
    event = make_event(capacity=1)
    members = [member_of(group) for _ in range(3)]
    for member in members:
        register(event, member)
    services.event_update(event=event, by=organiser, capacity=2)
    statuses = [Registration.objects.get(user=m).status for m in members]
    assert statuses == ["going", "going", "waitlisted"]


def test_registration_after_closing_is_refused_on_the_web(client, group, make_event):
    event = make_event()
    Event.objects.filter(pk=event.pk).update(
        registration_closes_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(member_of(group))
    response = client.post(
        reverse("events:register", args=[group.slug, event.pk]), {"status": "going"}, follow=True
    )
    assert "Registration for this event is closed." in response.text
    assert not Registration.objects.exists()


def test_an_invalid_video_address_is_refused(client, group, organiser, make_event):
    event = make_event(kind="conference")
    client.force_login(organiser)
    day = event.starts_at.astimezone(event.zone)
    response = client.post(
        reverse("events:talk_create", args=[group.slug, event.pk]),
        {
            "title": "Breaking the isolation",
            "language": "fr",
            "starts_at": day.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (day + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "recording_url": "https://dailymotion.example.com/video/x7",
        },
    )
    assert "This is not a video address we can show." in response.text
    assert not Talk.objects.exists()


def test_errors_are_translated(client, group, organiser):
    organiser.language = "fr"
    organiser.save()
    client.force_login(organiser)
    response = client.post(
        reverse("events:create", args=[group.slug]), form_data(time_zone="Nowhere/Here")
    )
    assert response["Content-Language"] == "fr"
    with translation.override("fr"):
        expected = translation.gettext("“%(zone)s” is not a known time zone.")
    assert expected % {"zone": "Nowhere/Here"} in response.text

"""Every list page of events runs a fixed number of queries, whatever the number of rows
(literal counts at one row and at three)."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from goingsolo.events import services
from goingsolo.groups.models import Membership, Role
from tests.events.conftest import event_fields, open_interest_check
from tests.factories import GroupFactory, member_of
from tests.support import count_queries, query_counts

pytestmark = pytest.mark.django_db


def test_event_lists(client, group, organiser):
    public = GroupFactory(visibility="public")
    Membership.objects.create(group=public, user=organiser, role=Role.ADMIN)
    viewer = member_of(group)
    Membership.objects.create(group=public, user=viewer)
    client.force_login(viewer)
    feed = services.calendar_feed_renew(user=viewer)

    def make():
        for where in (group, public):
            event = services.event_create(
                group=where, by=organiser, announce=False, **event_fields()
            )
            services.registration_set(event=event, user=viewer, status="going")
            # A cancelled event shows in every list with its badge, at no extra query.
            cancelled = services.event_create(
                group=where, by=organiser, announce=False, **event_fields()
            )
            services.registration_set(event=cancelled, user=viewer, status="going")
            services.event_cancel(event=cancelled, by=organiser, message="Rain.")
            past = services.event_create(
                group=where, by=organiser, announce=False, **event_fields()
            )
            past.starts_at -= timedelta(days=100)
            past.ends_at -= timedelta(days=100)
            past.save()

    expected = {
        reverse("events:upcoming"): 5,
        reverse("events:group_events", args=[group.slug]): 9,
        reverse("events:group_feed", args=[group.slug]): 5,
        reverse("events:my_calendar"): 5,
        feed.get_absolute_url(): 4,
        reverse("groups:detail", args=[group.slug]): 10,
        reverse("home"): 9,
    }
    make()
    assert {url: count_queries(client, url) for url in expected} == expected
    for _ in range(2):
        make()
    assert {url: count_queries(client, url) for url in expected} == expected


def test_attendees_check_in_and_csv(client, group, organiser):
    event = services.event_create(
        group=group, by=organiser, announce=False, **event_fields(questions_en=["Why?"])
    )
    client.force_login(organiser)

    def make():
        services.registration_set(
            event=event, user=member_of(group), status="going", answers={0: "Because"}
        )

    for name, count in (("attendees", 8), ("checkin", 7), ("attendees_csv", 6)):
        url = reverse(f"events:{name}", args=[group.slug, event.pk])
        assert query_counts(client, url, make) == (count, count), name


def test_agenda_and_event_page_with_talks(client, group, organiser):
    start = timezone.now() + timedelta(days=10)
    event = services.event_create(
        group=group,
        by=organiser,
        announce=False,
        **event_fields(kind="conference", starts_at=start, ends_at=start + timedelta(hours=10)),
    )
    client.force_login(member_of(group))
    hour = iter(range(100))

    def make():
        speaker = services.speaker_save(event=event, by=organiser, name="Guest")
        h = next(hour) / 10
        services.talk_save(
            event=event,
            by=organiser,
            title="Talk",
            language="fr",
            starts_at=event.starts_at + timedelta(hours=h),
            ends_at=event.starts_at + timedelta(hours=h + 0.1),
            speakers=[speaker],
            recording_url="https://vimeo.com/76979871",
        )

    agenda = reverse("events:agenda", args=[group.slug, event.pk])
    assert query_counts(client, agenda, make) == (9, 9)
    assert query_counts(client, event.get_absolute_url(), make) == (10, 10)


def test_interest_checks_and_reach(client, group, organiser):
    check = open_interest_check(group, organiser, threshold=100)
    client.force_login(organiser)
    cities = itertools.cycle(
        ["Lausanne", "Genève", "Leeds", "Paris", "Lyon", "Nowhere", "Vevey", "Bern"]
    )

    def make():
        member = member_of(group, city=next(cities))
        services.interest_answer(check=check, user=member, answer="yes")
        open_interest_check(group, organiser, kind="meetup", city="Leeds", threshold=5)

    assert query_counts(client, check.get_absolute_url(), make) == (9, 9)
    assert query_counts(client, reverse("events:checks", args=[group.slug]), make) == (6, 6)
    reach = reverse("events:reach", args=[group.slug]) + "?city=Lausanne"
    assert query_counts(client, reach, make) == (9, 9)

"""A member who leaves or is removed gives up their seats and the online links with them;
the private links in their emails stop working for that group."""

import pytest
from django.core import mail
from django.urls import reverse

from goingsolo.events import emails as event_emails
from goingsolo.events import services as event_services
from goingsolo.events.models import Registration
from goingsolo.groups import services
from goingsolo.groups.models import Membership, Role
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

ONLINE = "https://meet.example.org/solo"


@pytest.fixture
def group():
    return GroupFactory(visibility="public", join_policy="open")


@pytest.fixture
def owner(group):
    return member_of(group, Role.OWNER)


@pytest.fixture
def online_event(group, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return event_services.event_create(
            group=group, by=owner, **event_fields(kind="online", online_url=ONLINE, capacity=1)
        )


def register(event, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return event_services.registration_set(event=event, user=user, status="going")


def status_of(event, user):
    return Registration.objects.get(event=event, user=user).status


def test_removing_a_member_frees_their_seat_for_the_waiting_list_and_withdraws_the_link(
    client, group, owner, online_event, django_capture_on_commit_callbacks
):
    removed, waiting = member_of(group), member_of(group, email="next@example.org")
    register(online_event, removed, django_capture_on_commit_callbacks)
    register(online_event, waiting, django_capture_on_commit_callbacks)
    assert status_of(online_event, waiting) == "waitlisted"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_remove(
            membership=Membership.objects.get(group=group, user=removed), by=owner
        )

    assert status_of(online_event, removed) == "not_going"
    assert status_of(online_event, waiting) == "going"
    assert [message.to for message in mail.outbox] == [["next@example.org"]]
    online_event.refresh_from_db()
    assert (online_event.going_count, online_event.waitlist_count) == (1, 0)
    # The group is public: the removed member still reads the event, without its link.
    client.force_login(removed)
    page = client.get(online_event.get_absolute_url())
    assert page.status_code == 200
    assert ONLINE not in page.text
    ics = client.get(reverse("events:ics", args=[group.slug, online_event.pk]))
    assert ONLINE.encode() not in ics.content


def test_leaving_cancels_registrations_to_upcoming_events_only(
    group, owner, online_event, django_capture_on_commit_callbacks
):
    leaving = member_of(group)
    register(online_event, leaving, django_capture_on_commit_callbacks)
    past = Registration.objects.create(
        event=event_services.event_create(
            group=group, by=owner, announce=False, **event_fields(title_en="Last year")
        ),
        user=leaving,
        status="going",
    )
    past.event.__class__.objects.filter(pk=past.event_id).update(
        starts_at=online_event.starts_at.replace(year=2020),
        ends_at=online_event.ends_at.replace(year=2020),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_leave(membership=Membership.objects.get(group=group, user=leaving))
    assert status_of(online_event, leaving) == "not_going"
    assert Registration.objects.get(pk=past.pk).status == "going"


def test_the_calendar_feed_leaves_out_a_group_the_member_left(
    client, group, online_event, django_capture_on_commit_callbacks
):
    member = member_of(group)
    register(online_event, member, django_capture_on_commit_callbacks)
    feed = event_services.calendar_feed_renew(user=member)
    assert ONLINE.encode() in client.get(feed.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_leave(membership=Membership.objects.get(group=group, user=member))
    content = client.get(feed.get_absolute_url()).content
    assert b"VEVENT" not in content and ONLINE.encode() not in content


def test_a_cancel_link_is_refused_once_the_member_has_left(
    client, group, online_event, django_capture_on_commit_callbacks
):
    member = member_of(group)
    registration = register(online_event, member, django_capture_on_commit_callbacks)
    url = reverse("events:cancel_link", args=[event_emails.cancel_token(registration)])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_leave(membership=Membership.objects.get(group=group, user=member))
    assert client.get(url).status_code == 404

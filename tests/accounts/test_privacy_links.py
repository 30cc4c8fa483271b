"""Reset my private links: the links of emails and the calendar's address stop working."""

import pytest
from django.urls import reverse

from goingsolo.events import emails as event_emails
from goingsolo.events import services as events
from goingsolo.events.models import CalendarFeed, Registration
from goingsolo.groups.models import Role
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


def test_resetting_my_private_links_revokes_the_cancel_links_and_the_calendar_address(
    client, django_capture_on_commit_callbacks
):
    group = GroupFactory()
    me = member_of(group)
    with django_capture_on_commit_callbacks(execute=True):
        event = events.event_create(group=group, by=member_of(group, Role.ADMIN), **event_fields())
        registration = events.registration_set(event=event, user=me, status="going")
    old_cancel = reverse("events:cancel_link", args=[event_emails.cancel_token(registration)])
    old_feed = events.calendar_feed_renew(user=me).get_absolute_url()
    assert client.get(old_cancel).status_code == 200
    assert client.get(old_feed).status_code == 200

    client.force_login(me)
    response = client.post(reverse("accounts:private_links_reset"))
    assert response.status_code == 302
    client.logout()

    assert client.get(old_cancel).status_code == 404
    assert client.get(old_feed).status_code == 404
    assert client.get(CalendarFeed.objects.get(user=me).get_absolute_url()).status_code == 200
    registration = Registration.objects.select_related("user").get(pk=registration.pk)
    new_cancel = reverse("events:cancel_link", args=[event_emails.cancel_token(registration)])
    assert client.get(new_cancel).status_code == 200


def test_resetting_makes_no_calendar_address_for_a_member_who_had_none(client):
    me = member_of(GroupFactory())
    client.force_login(me)
    client.post(reverse("accounts:private_links_reset"))
    assert not CalendarFeed.objects.filter(user=me).exists()


def test_the_reset_is_a_post(client):
    client.force_login(member_of(GroupFactory()))
    assert client.get(reverse("accounts:private_links_reset")).status_code == 405

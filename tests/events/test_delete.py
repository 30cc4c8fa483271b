"""Deleting an event: it leaves lists, search and calendars (the row stays: soft delete),
people registered for an event that had not happened are told as for a cancellation, and
the announcement thread stays with a note."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from goingsolo.core import search
from goingsolo.events import emails, selectors, services
from goingsolo.events.models import Event, Registration
from goingsolo.groups.models import Group, Role
from goingsolo.groups.rules import content_visible_groups_q
from tests.events.conftest import event_fields, open_interest_check
from tests.events.test_reach import past_event
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def delete(django_capture_on_commit_callbacks, organiser):
    def run(event, by=None, message=""):
        with django_capture_on_commit_callbacks(execute=True):
            return services.event_delete(event=event, by=by or organiser, message=message)

    return run


def found_by_search(user, words):
    visible = Group.objects.filter(content_visible_groups_q(user))
    return [
        hit.object_id for hit in search.search(words, group_ids=visible, kinds=["event"]).results
    ]


def test_an_admin_deletes_an_upcoming_event_from_a_confirmation_page(
    client, group, organiser, make_event, register, django_capture_on_commit_callbacks
):
    event = make_event(title_en="Pricing clinic", capacity=5)
    member = member_of(group, email="lena@example.org")
    register(event, member)
    feed = services.calendar_feed_renew(user=member)
    assert found_by_search(member, "Pricing clinic") == [event.pk]
    mail.outbox.clear()
    client.force_login(organiser)
    url = reverse("events:delete", args=[group.slug, event.pk])

    page = client.get(url).text
    assert "It has not taken place: the 1 person registered is told by email" in page
    assert Event.objects.filter(pk=event.pk).exists()  # looking changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Sorry, we double-booked."}, follow=True)

    assert "The event is deleted." in response.text
    assert response.redirect_chain[-1][0] == reverse("events:group_events", args=[group.slug])
    # Gone from every list, page, calendar and the search…
    assert "Pricing clinic" not in response.text
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:ics", args=[group.slug, event.pk])).status_code == 404
    client.force_login(member)
    for list_url in (
        reverse("events:upcoming"),
        reverse("groups:detail", args=[group.slug]),
        reverse("home"),
        reverse("events:my_calendar"),
    ):
        # (The group page still lists the announcement thread: discussions keep it.)
        assert event.get_absolute_url() not in client.get(list_url).text, list_url
    for feed_url in (reverse("events:group_feed", args=[group.slug]), feed.get_absolute_url()):
        assert icalendar.Calendar.from_ical(client.get(feed_url).content).walk("VEVENT") == []
    assert found_by_search(member, "Pricing clinic") == []
    # …but kept in the database, with its registrations.
    deleted = Event.all_objects.get(pk=event.pk)
    assert deleted.is_deleted and deleted.deleted_by == organiser
    assert Registration.objects.filter(event=deleted, user=member).exists()

    # The people registered are told as for a cancellation, without a link to a page that
    # no longer exists.
    [told] = mail.outbox
    assert told.to == ["lena@example.org"]
    assert told.subject == "Cancelled: Pricing clinic"
    assert "Sorry, we double-booked." in told.body
    assert "The event is also removed from the group’s events." in told.body
    assert event.get_absolute_url() not in told.body
    assert told.attachments[0][2] == "text/calendar; method=CANCEL"

    # The announcement thread stays, with a note.
    thread = deleted.announcement_thread
    thread.refresh_from_db()
    assert thread.deleted_at is None
    note = thread.posts.order_by("position").last()
    assert note.body.startswith("**This event is cancelled and removed from the group’s events.**")
    assert "This thread stays." in note.body and "Sorry, we double-booked." in note.body
    assert event.get_absolute_url() not in note.body


def test_the_creator_deletes_an_event_only_while_nobody_else_registered(
    client, group, organiser, register
):
    creator = member_of(group, Role.MODERATOR, display_name="Max")
    event = services.event_create(group=group, by=creator, **event_fields(title_en="Coffee"))
    register(event, creator)
    client.force_login(creator)
    url = reverse("events:delete", args=[group.slug, event.pk])
    assert "Delete the event" in client.get(event.get_absolute_url()).text
    assert client.get(url).status_code == 200

    someone = member_of(group)
    register(event, someone, "interested")
    assert "Delete the event" not in client.get(event.get_absolute_url()).text
    response = client.post(url)
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="only the group’s admins can delete it"):
        services.event_delete(event=event, by=creator)
    assert not Event.all_objects.get(pk=event.pk).is_deleted

    register(event, someone, "not_going")  # nobody else registered any more
    response = client.post(url)
    assert response.status_code == 302, response.text
    assert Event.all_objects.get(pk=event.pk).is_deleted


def test_members_and_other_moderators_cannot_delete(client, group, make_event):
    event = make_event()
    for person in (member_of(group), member_of(group, Role.MODERATOR)):
        client.force_login(person)
        assert client.post(reverse("events:delete", args=[group.slug, event.pk])).status_code == 403
    assert not Event.all_objects.get(pk=event.pk).is_deleted


def test_deleting_a_past_or_cancelled_event_emails_nobody(
    group, organiser, make_event, register, delete, django_capture_on_commit_callbacks
):
    past = make_event(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    Registration.objects.create(event=past, user=member_of(group), status="going")
    cancelled = make_event()
    register(cancelled, member_of(group))
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=cancelled, by=organiser, message="Rain.")
    mail.outbox.clear()

    delete(past)
    delete(cancelled)

    assert mail.outbox == []
    note = cancelled.announcement_thread.posts.order_by("position").last()
    assert note.body.startswith("**This event is removed from the group’s events.**")
    assert Event.all_objects.get(pk=cancelled.pk).cancellation_message == "Rain."


def test_deleting_twice_is_refused_and_the_page_is_gone(
    client, group, organiser, make_event, delete
):
    event = make_event()
    delete(event)
    with pytest.raises(ValidationError, match="already deleted"):
        delete(event)
    client.force_login(organiser)
    assert client.post(reverse("events:delete", args=[group.slug, event.pk])).status_code == 404
    assert client.get(reverse("events:cancel", args=[group.slug, event.pk])).status_code == 404


def test_nothing_changes_a_deleted_event(group, organiser, make_event, register, delete):
    event = make_event()
    member = member_of(group)
    register(event, member)
    delete(event)
    for change in (
        lambda: services.registration_set(event=event, user=member, status="not_going"),
        lambda: services.event_update(event=event, by=organiser, title_en="Back?"),
        lambda: services.event_cancel(event=event, by=organiser),
        lambda: services.event_reinstate(event=event, by=organiser),
        lambda: services.rsvp_from_reply(thread=event.announcement_thread, user=member, text="yes"),
    ):
        with pytest.raises(ValidationError, match="This event was deleted"):
            change()
    assert Registration.objects.get(user=member).status == "going"


def test_the_cancel_link_of_a_deleted_event_says_so_and_changes_nothing(
    client, group, make_event, register, delete
):
    event = make_event()
    member = member_of(group)
    register(event, member)
    delete(event)
    url = reverse("events:cancel_link", args=[emails.cancel_token(Registration.objects.get())])
    page = client.get(url)
    assert page.status_code == 200
    assert "This event was deleted by its organisers" in page.text
    assert event.get_absolute_url() not in page.text
    client.post(url)
    assert Registration.objects.get(user=member).status == "going"


def test_a_deleted_event_counts_for_nothing_in_the_reach_of_a_city(
    group, organiser, make_event, register, delete
):
    member = member_of(group, city="Lausanne")
    held, deleted, cancelled = (
        past_event(make_event, register, [member], came=[member], days_ago=days)
        for days in (30, 40, 50)
    )
    Event.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    delete(deleted)
    # Only the event that took place makes the turnout history.
    assert [past.pk for past in selectors.reach(group=group, city="Lausanne").history] == [held.pk]


def test_an_interest_check_shows_its_event_was_deleted(client, group, organiser, delete):
    check = open_interest_check(group, organiser, threshold=1)
    event = services.interest_check_convert(check=check, by=organiser, **event_fields())
    delete(event)
    client.force_login(organiser)
    page = client.get(check.get_absolute_url()).text
    assert "Deleted" in page
    assert event.get_absolute_url() not in page

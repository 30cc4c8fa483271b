"""Cancelling an event: it stays visible and says so, registration is closed on every path,
everyone registered is told in their language with a calendar file that cancels it, the
calendars mark it cancelled, and the announcement thread hears of it. Reinstating brings
it back with the registrations as they were."""

from datetime import timedelta
from email import message_from_bytes, policy

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post
from goingsolo.events import calendars, emails, services
from goingsolo.events.models import Event, Registration
from goingsolo.groups.models import Membership, Role
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import reply_address
from tests.factories import GroupFactory, UserFactory, member_of
from tests.mail.inbound_support import gmail_french_reply

pytestmark = pytest.mark.django_db

MESSAGE = "The venue flooded. We will find another date, promise."


def calendar_attachment(message):
    [(name, content, mimetype)] = message.attachments
    assert name == "event.ics"
    return mimetype, icalendar.Calendar.from_ical(content)


@pytest.fixture
def cancel(django_capture_on_commit_callbacks, organiser):
    """Cancels EVENT as the organiser would, running what it queues."""

    def run(event, by=None, message=MESSAGE):
        with django_capture_on_commit_callbacks(execute=True):
            return services.event_cancel(event=event, by=by or organiser, message=message)

    return run


@pytest.fixture
def full_house(make_event, register, group):
    """An event with two seats: two going, one waiting, one interested, one not going."""
    event = make_event(capacity=2)
    people = {
        "going": member_of(group, email="going@example.org", language="en"),
        "going_fr": member_of(
            group, email="going-fr@example.org", language="fr", time_zone="America/Montreal"
        ),
        "waiting": member_of(group, email="waiting@example.org"),
        "interested": member_of(group, email="interested@example.org"),
        "gone": member_of(group, email="gone@example.org"),
    }
    register(event, people["going"])
    register(event, people["going_fr"])
    register(event, people["waiting"])
    register(event, people["interested"], "interested")
    register(event, people["gone"], "interested")
    register(event, people["gone"], "not_going")
    event.refresh_from_db()
    mail.outbox.clear()
    return event, people


# --- The page, the confirmation, the permissions ---------------------------------------------


def test_the_organiser_cancels_from_a_confirmation_page_and_the_event_page_says_so(
    client, group, organiser, make_event, django_capture_on_commit_callbacks
):
    event = make_event()
    client.force_login(organiser)
    url = reverse("events:cancel", args=[group.slug, event.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, cancel the event" in page.text
    event.refresh_from_db()
    assert not event.is_cancelled  # looking at the page changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": MESSAGE}, follow=True)
    assert "The event is cancelled. Everyone registered is told by email." in response.text
    event.refresh_from_db()
    assert event.is_cancelled and event.cancelled_by == organiser
    assert event.cancellation_message == MESSAGE

    member = member_of(group)
    client.force_login(member)
    page = client.get(event.get_absolute_url()).text
    assert "This event is cancelled" in page
    assert MESSAGE in page
    assert "Cancelled on" in page and "by Stephanie" in page
    assert "I’m going" not in page
    assert "Reinstate the event" not in page  # for organisers only


def test_only_the_events_organisers_may_cancel(client, group, organiser, make_event):
    event = make_event()
    url = reverse("events:cancel", args=[group.slug, event.pk])
    client.force_login(member_of(group))
    assert client.get(url).status_code == 403
    assert client.post(url, {"message": "Ha"}).status_code == 403
    client.force_login(UserFactory())  # not a member of this closed group
    assert client.post(url, {"message": "Ha"}).status_code in (403, 404)
    event.refresh_from_db()
    assert not event.is_cancelled
    with pytest.raises(PermissionDenied):
        services.event_cancel(event=event, by=member_of(group, Role.MODERATOR))


def test_an_event_of_a_secret_group_is_not_found_by_outsiders(client, make_event, organiser):
    secret = GroupFactory(slug="hidden", visibility="secret", join_policy="invitation")
    admin = member_of(secret, Role.ADMIN)
    event = make_event(in_group=secret, by=admin)
    client.force_login(UserFactory())
    for name in ("cancel", "reinstate", "delete"):
        assert client.post(reverse(f"events:{name}", args=["hidden", event.pk])).status_code == 404


def test_cancelling_twice_or_after_the_event_is_refused_and_changes_nothing(
    client, group, organiser, make_event, cancel
):
    event = make_event()
    cancel(event)
    first = Event.objects.get(pk=event.pk)
    with pytest.raises(ValidationError, match="already cancelled"):
        cancel(event, message="Again")
    client.force_login(organiser)
    response = client.post(
        reverse("events:cancel", args=[group.slug, event.pk]), {"message": "Again"}
    )
    assert "This event is already cancelled." in response.text
    again = Event.objects.get(pk=event.pk)
    assert (again.cancelled_at, again.cancellation_message, again.sequence) == (
        first.cancelled_at,
        MESSAGE,
        first.sequence,
    )

    past = make_event(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    with pytest.raises(ValidationError, match="over"):
        cancel(past)
    response = client.get(reverse("events:cancel", args=[group.slug, past.pk]))
    assert "This event is over: it can no longer be cancelled." in response.text
    assert not Event.objects.get(pk=past.pk).is_cancelled


def test_a_message_too_long_is_refused_and_kept_in_the_form(client, group, organiser, make_event):
    event = make_event()
    client.force_login(organiser)
    long_message = "Sorry. " * 400
    response = client.post(
        reverse("events:cancel", args=[group.slug, event.pk]), {"message": long_message}
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in response.text
    assert long_message.strip() in response.text
    assert not Event.objects.get(pk=event.pk).is_cancelled


# --- Registration is closed on every path ----------------------------------------------------


def test_registering_for_a_cancelled_event_is_refused_on_the_web(client, group, make_event, cancel):
    event = make_event()
    cancel(event)
    client.force_login(member_of(group))
    for status in ("going", "interested"):
        response = client.post(
            reverse("events:register", args=[group.slug, event.pk]),
            {"status": status},
            follow=True,
        )
        assert "This event is cancelled: registration is closed." in response.text
    assert not Registration.objects.filter(event=event).exists()


def test_a_yes_by_email_to_a_cancelled_event_is_refused_and_a_no_is_harmless(
    group, make_event, register, cancel, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    seated, waiting, newcomer = member_of(group), member_of(group), member_of(group)
    register(event, seated)
    register(event, waiting)
    cancel(event)
    mail.outbox.clear()
    thread = event.announcement_thread

    with pytest.raises(ValidationError, match="This event is cancelled"):
        services.rsvp_from_reply(thread=thread, user=newcomer, text="Oui !")
    assert not Registration.objects.filter(user=newcomer).exists()

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.rsvp_from_reply(thread=thread, user=seated, text="no")
    assert registration.status == "not_going"
    # Nobody is given the seat of a cancelled event, and nobody is emailed about it.
    assert Registration.objects.get(user=waiting).status == "waitlisted"
    assert mail.outbox == []


def test_a_yes_by_email_is_refused_in_the_members_language(group, make_event, cancel):
    event = make_event()
    cancel(event)
    french = member_of(group, language="fr")
    with pytest.raises(ValidationError) as refused:
        services.rsvp_from_reply(thread=event.announcement_thread, user=french, text="oui")
    assert refused.value.messages == [
        "Cet événement est annulé\u00a0: les inscriptions sont closes."
    ]


def test_the_mail_listener_refuses_a_yes_to_a_cancelled_event_and_posts_nothing(
    group, make_event, cancel, django_capture_on_commit_callbacks
):
    event = make_event()
    cancel(event)
    marie = member_of(group, email="marie@example.org", language="en")
    thread = event.announcement_thread
    posts = thread.posts.count()
    mail.outbox.clear()
    message = gmail_french_reply(
        sender="marie@example.org",
        to=reply_address(thread, marie),
        subject=thread.title,
        new_text="Oui !",
    )
    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound_store(
            raw=message.as_bytes(), mail_from="marie@example.org", recipients=[message["To"]]
        )
    stored.refresh_from_db()
    assert stored.status == "rejected" and "cancelled" in stored.note
    assert thread.posts.count() == posts
    assert not Registration.objects.filter(user=marie).exists()
    [refusal] = mail.outbox
    assert refusal.to == ["marie@example.org"]
    assert "This event is cancelled: registration is closed." in refusal.body


def test_the_one_click_cancel_link_still_works_harmlessly(
    client, group, make_event, register, cancel
):
    event = make_event(capacity=1)
    seated, waiting = member_of(group), member_of(group)
    register(event, seated)
    register(event, waiting)
    cancel(event)
    mail.outbox.clear()
    token = emails.cancel_token(Registration.objects.get(user=seated))
    url = reverse("events:cancel_link", args=[token])

    page = client.get(url)
    assert page.status_code == 200
    assert "This event is cancelled." in page.text
    response = client.post(url, follow=True)
    assert "Noted: you are not going." in response.text
    assert Registration.objects.get(user=seated).status == "not_going"
    assert Registration.objects.get(user=waiting).status == "waitlisted"
    assert mail.outbox == []


# --- Everyone registered is told -------------------------------------------------------------


def test_everyone_registered_is_told_with_the_message_and_a_calendar_file_that_cancels(
    full_house, cancel
):
    event, _people = full_house
    sequence = event.sequence

    cancel(event)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {
        "going@example.org",
        "going-fr@example.org",
        "waiting@example.org",
        "interested@example.org",
    }
    told = by_address["going@example.org"]
    assert told.subject == "Cancelled: Coffee and co-working"
    assert "Coffee and co-working (Going Solo) is cancelled." in told.body
    assert "A word from Stephanie, who organises it:" in told.body
    assert MESSAGE in told.body and MESSAGE in told.alternatives[0][0]
    assert event.get_absolute_url() in told.body
    mimetype, calendar = calendar_attachment(told)
    assert mimetype == "text/calendar; method=CANCEL"
    assert str(calendar["METHOD"]) == "CANCEL"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == calendars.event_uid(event)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == sequence + 1
    assert str(vevent["ORGANIZER"]).startswith("mailto:noreply@")
    assert str(vevent["ATTENDEE"]) == "mailto:going@example.org"
    # Those with no seat get it too: they may have added the event from its page.
    assert calendar_attachment(by_address["interested@example.org"])[0].endswith("CANCEL")


def test_the_news_of_a_cancellation_is_in_each_members_language_and_time_zone(full_house, cancel):
    event, _people = full_house
    cancel(event)
    french = next(m for m in mail.outbox if m.to == ["going-fr@example.org"])
    assert french.subject == "Annulé\u00a0: Café et coworking"
    assert "Café et coworking (Going Solo) est annulé." in french.body
    assert "America/Montreal" in french.body  # the time in her zone too
    assert MESSAGE in french.body


def test_news_that_no_longer_holds_when_its_job_runs_is_not_sent(
    full_house, register, cancel, organiser, django_capture_on_commit_callbacks
):
    event, people = full_house
    cancel(event)
    mail.outbox.clear()
    going = Registration.objects.get(user=people["going"])
    # Run with the commit's callbacks, so that anything queued would be sent too.
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("event_registered", "event_reminder", "event_seat_freed", "event_changed"):
            emails.send_registration_email(registration_id=going.pk, name=name, extra={})
    assert mail.outbox == []
    # Reinstated before the news of the cancellation went out: it does not go out.
    with django_capture_on_commit_callbacks(execute=True):
        services.event_reinstate(event=event, by=organiser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_registration_email(
            registration_id=going.pk, name="event_cancelled_by_organiser", extra={}
        )
    assert mail.outbox == []


def test_reminders_are_not_sent_for_a_cancelled_event(
    make_event, register, group, cancel, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(days=3)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=2))
    register(event, member_of(group))
    cancel(event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(now=soon - timedelta(hours=20)) == 0
    assert mail.outbox == []


# --- The announcement thread -----------------------------------------------------------------


def test_the_announcement_thread_gets_a_reply_that_reaches_the_mailing_list(
    group, organiser, make_event, cancel
):
    event = make_event()
    reader = member_of(group, email="reader@example.org")
    subscription_set_delivery(user=reader, group=group, delivery="every")
    mail.outbox.clear()

    cancel(event)

    reply = Post.objects.filter(thread=event.announcement_thread).order_by("position").last()
    assert reply.position == 2 and reply.author == organiser
    assert reply.body.startswith("**This event is cancelled.**")
    assert MESSAGE in reply.body and event.get_absolute_url() in reply.body
    assert reply.language == "en"
    [listed] = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    as_sent = message_from_bytes(listed.data, policy=policy.default)
    assert "Re: [Going Solo] Coffee and co-working" in str(as_sent["Subject"])
    assert "This event is cancelled." in as_sent.get_body(("plain",)).get_content()


def test_a_deleted_announcement_thread_gets_no_reply_and_the_cancellation_goes_through(
    make_event, organiser, cancel
):
    event = make_event()
    opening = event.announcement_thread.posts.get(position=1)
    discussions.post_delete(post=opening, by=organiser)
    cancel(event)
    assert Event.objects.get(pk=event.pk).is_cancelled
    assert event.announcement_thread.posts.count() == 1


# --- Calendars and lists ---------------------------------------------------------------------


def test_calendars_show_the_event_cancelled_with_a_higher_sequence(
    client, group, make_event, register, cancel
):
    event = make_event()
    me = member_of(group)
    register(event, me)
    feed = services.calendar_feed_renew(user=me)
    cancel(event)
    client.force_login(me)
    for url in (
        reverse("events:ics", args=[group.slug, event.pk]),
        reverse("events:group_feed", args=[group.slug]),
        feed.get_absolute_url(),
    ):
        calendar = icalendar.Calendar.from_ical(client.get(url).content)
        [vevent] = calendar.walk("VEVENT")
        assert str(vevent["STATUS"]) == "CANCELLED", url
        assert int(vevent["SEQUENCE"]) == 1, url
        assert str(calendar["METHOD"]) == "PUBLISH"


def test_every_list_shows_a_cancelled_badge_and_no_seat_count(
    client, group, organiser, make_event, register, cancel
):
    public = GroupFactory(visibility="public", slug="leeds")
    Membership.objects.create(group=public, user=organiser, role=Role.ADMIN)
    event = make_event(in_group=public, title_en="Leeds coffee", capacity=10)
    member = member_of(public)
    register(event, member)
    cancel(event)
    services.calendar_feed_renew(user=member)
    client.force_login(member)
    for url in (
        reverse("events:upcoming"),
        reverse("events:group_events", args=["leeds"]),
        reverse("groups:detail", args=["leeds"]),
        reverse("home"),
        reverse("events:my_calendar"),
    ):
        page = client.get(url).text
        assert "Leeds coffee" in page, url
        assert 'class="event-card cancelled"' in page, url
        assert '<span class="badge cancelled">Cancelled</span>' in page, url
        assert "1 of 10 seats taken" not in page, url


def test_search_results_label_a_cancelled_event(client, group, make_event, cancel):
    event = make_event(title_en="Pricing clinic")
    cancel(event)
    client.force_login(member_of(group))
    page = client.get(reverse("groups:search"), {"q": "Pricing clinic"}).text
    assert "Pricing clinic" in page
    assert '<span class="badge">Cancelled</span>' in page


# --- Reinstating -----------------------------------------------------------------------------


def test_reinstating_brings_the_event_back_with_registrations_as_they_were(
    client, group, organiser, full_house, cancel, django_capture_on_commit_callbacks
):
    event, _people = full_house
    cancel(event)
    before = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    mail.outbox.clear()
    client.force_login(organiser)
    assert "Reinstate the event" in client.get(event.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:reinstate", args=[group.slug, event.pk]), follow=True
        )

    assert "The event is back on. Everyone registered is told by email." in response.text
    event.refresh_from_db()
    assert not event.is_cancelled and event.cancellation_message == ""
    assert event.sequence == 2  # cancelled, then back on
    assert dict(Registration.objects.filter(event=event).values_list("user_id", "status")) == before
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {
        "going@example.org",
        "going-fr@example.org",
        "waiting@example.org",
        "interested@example.org",
    }
    back = by_address["going@example.org"]
    assert back.subject == "Back on: Coffee and co-working"
    assert "You still have a seat." in back.body
    mimetype, calendar = calendar_attachment(back)
    assert mimetype == "text/calendar; method=PUBLISH"
    [vevent] = calendar.walk("VEVENT")
    assert (str(vevent["STATUS"]), int(vevent["SEQUENCE"])) == ("CONFIRMED", 2)
    assert "number 1" in by_address["waiting@example.org"].body
    assert by_address["interested@example.org"].attachments == []
    reply = event.announcement_thread.posts.order_by("position").last()
    assert reply.body.startswith("**This event is back on: it is no longer cancelled.**")
    assert "This event is cancelled" not in client.get(event.get_absolute_url()).text


def test_a_seat_given_up_while_cancelled_goes_to_the_waiting_list_on_reinstatement(
    group, organiser, full_house, register, cancel, django_capture_on_commit_callbacks
):
    event, people = full_house
    cancel(event)
    register(event, people["going"], "not_going")
    assert Registration.objects.get(user=people["waiting"]).status == "waitlisted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_reinstate(event=event, by=organiser)
    assert Registration.objects.get(user=people["waiting"]).status == "going"
    to_waiting = [m.subject for m in mail.outbox if m.to == ["waiting@example.org"]]
    assert to_waiting == ["A seat freed up for you: Coffee and co-working"]
    assert not [m for m in mail.outbox if m.to == ["going@example.org"]]


def test_reinstating_an_event_that_is_not_cancelled_or_has_started_is_refused(
    client, group, organiser, make_event, cancel
):
    event = make_event()
    client.force_login(organiser)
    response = client.post(reverse("events:reinstate", args=[group.slug, event.pk]), follow=True)
    assert "This event is not cancelled." in response.text
    assert client.get(reverse("events:reinstate", args=[group.slug, event.pk])).status_code == 405

    started = make_event(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=3)
    )
    cancel(started)
    Event.objects.filter(pk=started.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="started"):
        services.event_reinstate(event=started, by=organiser)
    assert Event.objects.get(pk=started.pk).is_cancelled
    assert "Reinstate the event" not in client.get(started.get_absolute_url()).text

    client.force_login(member_of(group))
    assert (
        client.post(reverse("events:reinstate", args=[group.slug, started.pk])).status_code == 403
    )

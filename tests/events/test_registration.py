"""Registration: seats, the waiting list, confirmations with a calendar file, reminders."""

import io
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from goingsolo.events import services
from goingsolo.events.models import Event, Registration
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


def ics_of(message):
    [(name, content, mimetype)] = message.attachments
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def test_going_takes_a_seat_and_the_confirmation_carries_the_calendar_file(
    make_event, register, group
):
    event = make_event(capacity=3)
    member = member_of(group, email="lena@example.org")
    mail.outbox.clear()

    registration = register(event, member)

    assert registration.status == "going"
    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count) == (1, 0)
    [message] = mail.outbox
    assert message.to == ["lena@example.org"]
    assert "You have a seat" in message.subject
    [vevent] = ics_of(message).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Coffee and co-working"
    assert vevent.DTSTART == event.starts_at


def test_a_full_event_puts_people_on_the_waiting_list_and_a_cancellation_gives_the_first_the_seat(
    make_event, register, group
):
    event = make_event(capacity=2)
    first, second, third, fourth = (member_of(group) for _ in range(4))
    for member in (first, second, third, fourth):
        register(event, member)
    assert Registration.objects.get(user=third).status == "waitlisted"
    assert Registration.objects.get(user=fourth).status == "waitlisted"
    mail.outbox.clear()

    register(event, first, "not_going")

    assert Registration.objects.get(user=third).status == "going"
    assert Registration.objects.get(user=fourth).status == "waitlisted"
    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count) == (2, 1)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "A seat freed up for you" in subjects[third.email]
    assert "not going" in subjects[first.email]
    assert ics_of(next(m for m in mail.outbox if m.to == [third.email]))


def test_interested_takes_no_seat(make_event, register, group):
    event = make_event(capacity=1)
    curious, keen = member_of(group), member_of(group)
    register(event, curious, "interested")
    assert register(event, keen).status == "going"
    event.refresh_from_db()
    assert (event.going_count, event.interested_count) == (1, 1)


def test_registering_twice_changes_nothing(make_event, register, group):
    event = make_event(capacity=5)
    member = member_of(group)
    register(event, member)
    mail.outbox.clear()
    register(event, member)
    assert Registration.objects.filter(event=event).count() == 1
    assert mail.outbox == []


def test_answers_to_the_event_questions_are_kept(make_event, register, group):
    event = make_event(questions_en=["What do you do?", "Any food allergy?"])
    member = member_of(group)
    registration = register(event, member, answers={0: "Translator", 1: ""})
    assert registration.answers == [
        {"question": "What do you do?", "answer": "Translator"},
        {"question": "Any food allergy?", "answer": ""},
    ]


def test_registration_after_closing_is_refused_and_nothing_changes(make_event, register, group):
    event = make_event(registration_closes_at=timezone.now() + timedelta(days=1))
    Event.objects.filter(pk=event.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    event.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        register(event, member_of(group))
    assert not Registration.objects.filter(event=event).exists()


def test_registration_before_opening_is_refused(make_event, register, group):
    event = make_event(registration_opens_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError, match="not opened yet"):
        register(event, member_of(group))


def test_outsiders_cannot_register(make_event, register):
    event = make_event()
    with pytest.raises(PermissionDenied):
        register(event, UserFactory())


def test_reminders_go_once_in_each_members_language(
    make_event, register, group, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(days=3)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=2))
    later = make_event(
        starts_at=soon + timedelta(days=5), ends_at=soon + timedelta(days=5, hours=2)
    )
    french = member_of(group, language="fr", email="fr@example.org")
    english = member_of(group, language="en", email="en@example.org")
    for member in (french, english):
        register(event, member)
        register(later, member)
    register(event, member_of(group), "interested")
    mail.outbox.clear()

    # A day before: the two seats of the first event are reminded, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(now=soon - timedelta(hours=23)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue(now=soon - timedelta(hours=22)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["en@example.org", "fr@example.org"]
    assert all(ics_of(message) for message in mail.outbox)


def test_send_reminders_command_is_idempotent(
    make_event, group, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(hours=5)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=2))
    member = member_of(group)
    Registration.objects.create(event=event, user=member, status="going")
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("events", "send-reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_a_seat_taken_within_24_hours_gets_no_separate_reminder(
    make_event, register, group, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(hours=5)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=2))
    register(event, member_of(group))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("events", "send-reminders", stdout=io.StringIO())
    assert mail.outbox == []


def test_confirmations_and_reminders_are_in_each_members_language(
    make_event, register, group, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(days=3)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=2), capacity=1)
    french = member_of(group, language="fr", email="fr@example.org")
    english = member_of(group, language="en", email="en@example.org")
    mail.outbox.clear()
    register(event, french)
    register(event, english)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["fr@example.org"] == "Vous avez une place\u00a0: Café et coworking"
    assert subjects["en@example.org"] == "You are on the waiting list: Coffee and co-working"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_queue(now=soon - timedelta(hours=20))
    [reminder] = mail.outbox
    assert reminder.subject == "Demain\u00a0: Café et coworking"
    assert "vous avez une place" in reminder.body
    [vevent] = ics_of(reminder).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Café et coworking"

"""RSVP by email: a reply to an event's announcement that starts with yes/oui or no/non."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from goingsolo.discussions import services as discussions
from goingsolo.events import services
from goingsolo.events.models import Registration
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rsvp(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.rsvp_from_reply(**kwargs)

    return run


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes!",
        "  YES, count me in",
        "oui",
        "Oui !",
        "OUI.",
        "Oui, avec plaisir",
        "«Oui»",
        "Yes\n\nSee you",
    ],
)
def test_a_reply_starting_with_yes_or_oui_registers_and_confirms(make_event, group, rsvp, text):
    event = make_event(capacity=5)
    member = member_of(group, email="lena@example.org")
    mail.outbox.clear()

    registration = rsvp(thread=event.announcement_thread, user=member, text=text)

    assert registration.status == "going"
    assert registration.source == "email"
    [message] = mail.outbox
    assert message.to == ["lena@example.org"] and "You have a seat" in message.subject
    assert message.attachments[0][0] == "event.ics"


@pytest.mark.parametrize("text", ["no", "No.", "NON", "non merci", "Nope", "Non, désolée"])
def test_a_reply_starting_with_no_or_non_cancels_and_confirms(make_event, group, rsvp, text):
    event = make_event(capacity=5)
    member = member_of(group)
    services.registration_set(event=event, user=member, status="going")
    mail.outbox.clear()

    registration = rsvp(thread=event.announcement_thread, user=member, text=text)

    assert registration.status == "not_going"
    [message] = mail.outbox
    assert "not going" in message.subject


def test_accents_and_case_do_not_matter(make_event, group, rsvp):
    event = make_event()
    member = member_of(group)
    assert rsvp(thread=event.announcement_thread, user=member, text="OÙI").status == "going"
    assert rsvp(thread=event.announcement_thread, user=member, text="Nön").status == "not_going"


@pytest.mark.parametrize(
    "text", ["", "   ", "Yesterday I could not", "Nonetheless I will come", "Maybe", "I say yes"]
)
def test_other_replies_are_not_rsvps(make_event, group, rsvp, text):
    event = make_event()
    member = member_of(group)
    assert rsvp(thread=event.announcement_thread, user=member, text=text) is None
    assert not Registration.objects.exists()


def test_a_yes_in_a_thread_that_announces_no_event_is_an_ordinary_reply(group, rsvp):
    member = member_of(group)
    thread = discussions.thread_start(
        group=group, author=member, title="Pricing", body="How do you set your prices?"
    ).post.thread
    assert rsvp(thread=thread, user=member, text="yes") is None
    assert not Registration.objects.exists()


def test_a_yes_from_someone_outside_the_group_is_refused(make_event, rsvp):
    event = make_event()
    with pytest.raises(PermissionDenied):
        rsvp(thread=event.announcement_thread, user=UserFactory(), text="yes")


def test_a_yes_for_a_full_event_puts_the_member_on_the_waiting_list(make_event, group, rsvp):
    event = make_event(capacity=1)
    services.registration_set(event=event, user=member_of(group), status="going")
    registration = rsvp(thread=event.announcement_thread, user=member_of(group), text="Oui")
    assert registration.status == "waitlisted"
    assert "waiting list" in mail.outbox[-1].subject

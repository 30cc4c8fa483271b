"""Every email, in English and in French, read as its recipient reads it (docs/voice.md):
one greeting rule ("Hello Stéphanie Martin," / "Bonjour Stéphanie Martin,", the display
name as written; "Hello," / "Bonjour," to an address with no member behind it), the site's
signature, dates as the style sheet writes them, no raw Markdown, and French typography."""

import datetime
import re
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from django.core import mail
from django.utils import translation

from goingsolo.core.emails import render_email
from goingsolo.core.voice import french_problems
from goingsolo.events import services as events
from goingsolo.events.models import EventMessage, InterestAnswer, InterestCheck
from goingsolo.groups.models import Role
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

NAME = "Stéphanie Martin"
START = datetime.datetime(2030, 12, 5, 17, 30, tzinfo=datetime.UTC)  # Thursday, 18:30 Zurich
# Each app keeps its own messages in <app>/templates/emails/.
APPS = Path(__file__).resolve().parents[2] / "goingsolo"
GREETING = {"en": f"Hello {NAME},", "fr": f"Bonjour {NAME},"}
ANONYMOUS = {"en": "Hello,", "fr": "Bonjour,"}


@pytest.fixture
def world():
    group = GroupFactory(name="Going Solo", slug="going-solo")
    organiser = member_of(group, Role.ADMIN, display_name="Léa Fournier", language="fr")
    member = member_of(group, display_name=NAME, email="stephanie@example.org")
    event = events.event_create(
        group=group,
        by=organiser,
        announce=False,
        **event_fields(starts_at=START, ends_at=START + datetime.timedelta(hours=3)),
    )
    registration = events.registration_set(event=event, user=member, status="going", notify=False)
    event = events.event_cancel(event=event, by=organiser, message="**Sorry.** We double-booked.")
    registration.refresh_from_db()
    check = InterestCheck.objects.create(
        group=group,
        created_by=organiser,
        kind="barcamp",
        city="Lausanne",
        window_start=datetime.date(2030, 5, 1),
        window_end=datetime.date(2030, 6, 30),
        threshold=25,
    )
    message = EventMessage.objects.create(
        event=event, sent_by=organiser, subject="Parking", body="Park behind the station."
    )
    return {
        "group": group,
        "organiser": organiser,
        "event": event,
        "registration": registration,
        "check": check,
        "message": message,
    }


def contexts(world):
    """A context for every email, as the code that sends it makes it."""
    event, registration = world["event"], world["registration"]
    for_event = {
        "event": event,
        "registration": registration,
        "recipient_name": NAME,
        "group_name": "Going Solo",
        "event_url": "https://goingsolo.example.org/g/going-solo/e/1/",
        "cancel_url": "https://goingsolo.example.org/events/cancel/token/",
        "online_url": "",
        "position": 2,
    }
    changed = {
        "changes": ["time", "place"],
        "previous_starts_at": START - datetime.timedelta(days=1),
        "previous_ends_at": START - datetime.timedelta(days=1, hours=-3),
        "previous_time_zone": "Europe/Zurich",
        "previous_place": "Le Bourg, Lausanne",
    }
    member_emails = {
        name: for_event
        for name in (
            "event_registered",
            "event_waitlisted",
            "event_seat_freed",
            "event_interested",
            "event_cancelled",
            "event_preregistered",
            "event_reminder",
            "event_cancelled_by_organiser",
            "event_reinstated",
        )
    }
    member_emails["event_changed"] = {**for_event, **changed}
    member_emails["event_threshold_reached"] = {
        "check": world["check"],
        "group_name": "Going Solo",
        "check_url": "https://goingsolo.example.org/g/going-solo/e/checks/1/",
        "is_organiser": False,
        "recipient_name": NAME,
    }
    check_links = {
        answer: f"https://goingsolo.example.org/checks/answer/token-{answer}/"
        for answer in ("yes", "maybe", "no")
    }
    member_emails["check_reminder"] = {
        "check": world["check"],
        "group_name": "Going Solo",
        "check_url": "https://goingsolo.example.org/g/going-solo/e/checks/1/",
        "recipient_name": NAME,
        "answer_urls": check_links,
    }
    member_emails["check_answered"] = {
        **member_emails["check_reminder"],
        "answer": InterestAnswer(interest_check=world["check"], answer="maybe"),
    }
    member_emails["join_request_approved"] = {
        "recipient_name": NAME,
        "group_name": "Going Solo",
        "group_url": "https://goingsolo.example.org/g/going-solo/",
    }
    member_emails["join_request_refused"] = {
        **member_emails["join_request_approved"],
        "reason": "We are full.",
    }
    member_emails["moderation_notice"] = {
        "recipient_name": NAME,
        "group_name": "Going Solo",
        "action": "hide",
        "target": "Pricing a translation #2",
        "reason": "Advertising.",
    }
    member_emails["moderation_queue_alert"] = {
        "recipient_name": NAME,
        "group_name": "Going Solo",
        "count": 3,
        "queue_url": "https://goingsolo.example.org/g/going-solo/review/",
    }
    member_emails["inbound_confirm"] = {
        "recipient_name": NAME,
        "group_name": "Going Solo",
        "address": "going-solo@goingsolo.example.org",
        "sender": "stephanie@example.org",
        "thread_title": "",
        "subject": "Apéro",
        "received_at": START,
        "attachments": [],
        "preview": "Qui vient\u00a0?",
        "confirm_url": "https://goingsolo.example.org/mail/confirm/token/",
        "days": 7,
    }
    address_emails = {
        "invitation": {
            "inviter_name": "Léa Fournier",
            "group_name": "Going Solo",
            "invitation_url": "https://goingsolo.example.org/invitations/token/",
        },
        "inbound_refused": {
            "languages": [],  # set per language below
            "reason": "not_member",
            "subject": "Apéro",
            "address": "going-solo@goingsolo.example.org",
            "group_name": "Going Solo",
            "group_url": "https://goingsolo.example.org/g/going-solo/",
        },
    }
    list_emails = {
        "event_message": {**for_event, "message": world["message"]},
        "post": {
            "group_name": "Going Solo",
            "thread_title": "Apéro",
            "is_reply": False,
            "is_announcement": True,
            "author_name": "Léa Fournier",
            "body_text": "Merci, à jeudi.",
            "body_html": "<p><strong>Merci</strong>, à jeudi.</p>",
            "attachment_names": [],
            "post_url": "https://goingsolo.example.org/g/going-solo/t/1/#post-1",
            "group_url": "https://goingsolo.example.org/g/going-solo/",
            "delivery_url": "https://goingsolo.example.org/mail/choice/x/",
            "unsubscribe_url": "https://goingsolo.example.org/mail/unsubscribe/x/",
        },
        "digest": {
            "group_name": "Going Solo",
            "weekly": False,
            "post_count": 3,
            "thread_count": 2,
            "page_count": 0,
            "more_threads": 1,
            "more_pages": 0,
            "blocks_text": "## Apéro\n…",
            "blocks_html": "<section>…</section>",
            "group_url": "https://goingsolo.example.org/g/going-solo/",
            "delivery_url": "https://goingsolo.example.org/mail/choice/x/",
            "unsubscribe_url": "https://goingsolo.example.org/mail/unsubscribe/x/",
        },
        "wiki_change": {
            "group_name": "Going Solo",
            "page_title": "Tarifs",
            "change_count": 1,
            "hidden_count": 0,
            "changes": [],
            "newest": None,
            "diff_url": "https://goingsolo.example.org/g/going-solo/w/tarifs/diff/",
            "page_url": "https://goingsolo.example.org/g/going-solo/w/tarifs/",
            "history_url": "https://goingsolo.example.org/g/going-solo/w/tarifs/history/",
            "unwatch_url": "https://goingsolo.example.org/mail/unwatch/x/",
            "delivery_url": "https://goingsolo.example.org/mail/choice/x/",
            "unsubscribe_url": "https://goingsolo.example.org/mail/unsubscribe/x/",
        },
    }
    return member_emails, address_emails, list_emails


def test_every_email_is_in_this_test(world):
    subjects = APPS.glob("*/templates/emails/*_subject.txt")
    names = {path.name.removesuffix("_subject.txt") for path in subjects}
    member_emails, address_emails, list_emails = contexts(world)
    assert names == {*member_emails, *address_emails, *list_emails}


def rendered(name, context, language):
    if name == "inbound_refused":
        context = {**context, "languages": [language]}
    return render_email(name, context, language=language, time_zone="Europe/Zurich")


def read_french(text):
    """The problems of French TEXT, line by line, leaving out addresses and links."""
    problems = []
    for line in text.splitlines():
        line = re.sub(r"https?://\S+|\S+@\S+", "", line)
        if french_problems(line):
            problems.append(line)
    return problems


@pytest.mark.parametrize("language", ["en", "fr"])
def test_emails_to_members_greet_them_by_their_display_name_and_are_signed(world, language):
    member_emails, address_emails, _list = contexts(world)
    for name, context in member_emails.items():
        _subject, text, html = rendered(name, context, language)
        assert text.startswith(GREETING[language] + "\n"), name
        assert GREETING[language] in html, name
        assert text.rstrip().endswith("-- \ngoingsolo · http://127.0.0.1:8000"), name
    for name, context in address_emails.items():
        _subject, text, _html = rendered(name, context, language)
        assert text.startswith(ANONYMOUS[language] + "\n"), name
        assert text.rstrip().endswith("-- \ngoingsolo · http://127.0.0.1:8000"), name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_email_writes_dates_by_the_style_sheet_and_shows_no_markdown(world, language):
    member_emails, address_emails, list_emails = contexts(world)
    for name, context in {**member_emails, **address_emails, **list_emails}.items():
        subject, text, _html = rendered(name, context, language)
        assert "**" not in text, name
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), name
        if language == "fr":
            assert read_french(subject) == [], name
            assert read_french(text) == [], name
            assert not re.search(r"\b(?:Thursday|December|Dec)\b", text), name
    _subject, text, _html = rendered(
        "event_registered", member_emails["event_registered"], language
    )
    expected = {
        "en": "When: Thursday 5 December 2030, 18:30 – 21:30 (Europe/Zurich)",
        "fr": "Quand\u00a0: jeudi 5 décembre 2030 à 18\u00a0h\u00a030 – 21\u00a0h\u00a030 (Europe/Zurich)",
    }
    assert expected[language] in text


def test_the_organisers_message_reaches_attendees_as_text_and_as_html(world):
    member_emails, _address, _list = contexts(world)
    context = member_emails["event_cancelled_by_organiser"]
    _subject, text, html = rendered("event_cancelled_by_organiser", context, "en")
    assert "Sorry. We double-booked." in text and "**" not in text
    assert "<strong>Sorry.</strong> We double-booked." in html


@pytest.mark.parametrize(("language", "greeting"), [("en", "Hello"), ("fr", "Bonjour")])
def test_account_emails_follow_the_same_rule(
    world, language, greeting, django_capture_on_commit_callbacks
):
    member = member_of(world["group"], display_name=NAME, language=language, email="s@x.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        get_adapter().send_mail(
            "account/email/password_reset_key",
            member.email,
            {"user": member, "password_reset_url": "https://goingsolo.example.org/reset/x/"},
        )
    [message] = mail.outbox
    assert message.body.startswith(f"{greeting} {NAME},\n")
    assert message.body.rstrip().endswith("-- \ngoingsolo · http://127.0.0.1:8000")
    if language == "fr":
        with translation.override("fr"):
            assert read_french(message.body) == []

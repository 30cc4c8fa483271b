"""Mail's part of a member's export and of deleting their account (goingsolo/mail/privacy.py).

Deleting an account erases what mail holds about the member: the messages received from
them (held and waiting ones too), the emails to them, their bounces and paused delivery,
their email choices; another member's rows stay. Their export has the messages they wrote
by email that were not posted, and their email choices.
"""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from goingsolo.accounts.services import account_delete
from goingsolo.core.emails import build_email
from goingsolo.discussions.services import thread_start
from goingsolo.mail.inbound import bounces
from goingsolo.mail.models import (
    BounceEvent,
    Delivery,
    DeliveryPause,
    InboundMessage,
    ListSettings,
    ListSubscription,
    OutboundEmail,
)
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import reply_address
from tests.factories import PASSWORD, member_of

from .inbound_support import group_address, plain_message, receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def mail_world(django_capture_on_commit_callbacks, group):
    """Marie and Paul, each with what mail holds of a member: a posted message, a held
    one, one waiting for its confirmation, a refused one, emails to them, a bounce, a
    paused delivery, an email choice."""
    marie = member_of(group, display_name="Marie", email="marie@example.org")
    EmailAddress.objects.create(user=marie, email="marie@work.example", verified=True)
    paul = member_of(group, display_name="Paul", email="paul@example.org")
    thread = thread_start(group=group, author=paul, title="Coworking", body="Qui ?").post.thread
    for person in (marie, paul):
        address = person.email
        subscription_set_delivery(user=person, group=group, delivery=Delivery.EVERY)
        receive(
            django_capture_on_commit_callbacks,
            plain_message(sender=address, to=reply_address(thread, person), body="Posté."),
        )
        receive(  # waits for its sender: unsigned
            django_capture_on_commit_callbacks,
            plain_message(sender=address, to=group_address(group), body="En attente."),
            signed=False,
        )
        receive(  # empty: refused
            django_capture_on_commit_callbacks,
            plain_message(sender=address, to=reply_address(thread, person), body=""),
        )
        bounces.bounce_record(
            failures=[bounces.Failure(address=address, kind="hard", status="5.1.1", diagnostic="")],
            user=person,
            sent_to=address,
            counted=True,
        )
        DeliveryPause.objects.create(user=person, address=address)
        build_email(
            "inbound_refused",
            {"reason": "empty", "languages": ["en"]},
            to=address,
            language="en",
            kind="refusal",
        ).send()
    ListSettings.objects.create(group=group, hold_new_threads=True)
    receive(
        django_capture_on_commit_callbacks,
        plain_message(sender="marie@work.example", to=group_address(group), body="Retenu."),
    )
    return marie, paul


def rows_of(person, address_like):
    return {
        "inbound": InboundMessage.objects.filter(sender__startswith=address_like).count(),
        "outbound": OutboundEmail.objects.filter(recipient=person).count()
        + OutboundEmail.objects.filter(to_address__startswith=address_like).count(),
        "bounces": BounceEvent.objects.filter(user=person).count(),
        "pause": DeliveryPause.objects.filter(user=person).count(),
        "choices": ListSubscription.objects.filter(user=person).count(),
    }


def test_deleting_an_account_erases_what_mail_holds_about_the_member(mail_world):
    marie, paul = mail_world
    statuses = set(InboundMessage.objects.filter(author=marie).values_list("status", flat=True))
    assert statuses == {"processed", "awaiting", "rejected", "held"}
    assert all(rows_of(marie, "marie@").values())
    paul_before = rows_of(paul, "paul@")
    assert all(paul_before.values())

    account_delete(user=marie, keep_posts=True)

    assert rows_of(marie, "marie@") == {
        "inbound": 0,
        "outbound": 0,
        "bounces": 0,
        "pause": 0,
        "choices": 0,
    }
    assert rows_of(paul, "paul@") == paul_before


def test_the_export_has_the_messages_not_posted_and_the_email_choices(client, group, mail_world):
    marie, _paul = mail_world
    client.login(email=marie.email, password=PASSWORD)
    response = client.get(reverse("accounts:data_export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    messages = json.loads(archive.read("email_messages_not_posted.json"))
    assert sorted((m["status"], m["text"]) for m in messages) == [
        ("awaiting", "En attente."),
        ("held", "Retenu."),
        ("rejected", ""),
    ]
    assert {m["group"] for m in messages} == {group.slug}
    assert "Posté." not in json.dumps(messages)  # a post: in posts.json
    choices = json.loads(archive.read("email_choices.json"))
    assert [(choice["group"], choice["delivery"]) for choice in choices] == [
        (group.slug, Delivery.EVERY)
    ]

"""A silenced or suspended member's email to the group is not posted: a proven sender is
told until when, in their language, with their text quoted back (docs/moderation.md,
"Sanctions"; the refusal path of docs/mail-inbound.md)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone, translation

from goingsolo.core.dates import format_when
from goingsolo.discussions.models import Post, Thread
from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Role
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.models import InboundMessage
from goingsolo.mail.reply_tokens import reply_address
from goingsolo.moderation import sanctions
from tests.factories import GroupFactory, member_of
from tests.mail.inbound_support import group_address, plain_message, signed_by_sender
from tests.mail.test_smtp_inbound import deliver_signed, listener, sink  # noqa: F401 -- fixtures


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def club():
    group = GroupFactory(name="Going Solo", slug="going-solo")
    moderator = member_of(group, Role.MODERATOR)
    marie = member_of(group, display_name="Marie Dupont", email="marie@example.org", language="fr")
    paul = member_of(group, display_name="Paul Martin", email="paul@example.org")
    thread = thread_start(group=group, author=paul, title="Samedi", body="Qui vient ?").post.thread
    return group, moderator, marie, thread


def silence(group, moderator, member, action=sanctions.member_silence):
    action(
        group=group,
        member=member,
        by=moderator,
        until=timezone.now() + timedelta(days=7),
        reason="Calme",
    )
    return member.memberships.get(group=group).restricted_until


def in_french_in_her_zone(member, value):
    with translation.override("fr"):
        return format_when(value, "datetime", zone=member.time_zone)


@pytest.mark.django_db(transaction=True)
def test_a_silenced_members_email_over_smtp_is_not_posted_and_she_gets_it_back_in_french(
    listener,  # noqa: F811
    sink,  # noqa: F811
):
    group, moderator, marie, _thread = club()
    until = silence(group, moderator, marie)
    sink.messages.clear()  # the notice of the silence itself
    message = plain_message(
        sender="Marie Dupont <marie@example.org>",
        to=group_address(group),
        subject="Mes tarifs",
        body="Voici mes tarifs pour 2027.\nÀ samedi !",
    )

    deliver_signed(listener, message)

    stored = InboundMessage.objects.get()
    assert stored.status == "rejected"
    assert not Thread.objects.filter(title="Mes tarifs").exists()
    [(recipients, explanation)] = sink.messages
    assert recipients == ["marie@example.org"]
    assert explanation["In-Reply-To"] == message["Message-ID"]
    text = explanation.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "réduit·e au silence" in text
    assert in_french_in_her_zone(marie, until) in text
    assert "> Voici mes tarifs pour 2027.\n> À samedi !" in text
    html = explanation.get_body(("html",)).get_content()
    assert '<div lang="fr">' in html and '<div lang="en">' not in html
    assert "Voici mes tarifs pour 2027.<br>À samedi !" in html


@pytest.mark.django_db
def test_a_silenced_members_reply_by_token_is_not_posted_and_is_quoted_back(
    django_capture_on_commit_callbacks,
):
    group, moderator, marie, thread = club()
    until = silence(group, moderator, marie, action=sanctions.member_suspend)
    mail.outbox.clear()
    message = plain_message(
        sender="marie@example.org",
        to=reply_address(thread, marie),
        subject="Re: Samedi",
        body="Moi !",
    )
    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound_store(
            raw=message.as_bytes(), mail_from="marie@example.org", recipients=[message["To"]]
        )
    stored.refresh_from_db()
    assert (stored.status, stored.kind) == ("rejected", "reply")
    assert not Post.objects.filter(author=marie).exists()
    [explanation] = mail.outbox
    assert explanation.to == ["marie@example.org"]
    assert "suspendu·e" in explanation.body
    assert in_french_in_her_zone(marie, until) in explanation.body
    assert "> Moi !" in explanation.body


@pytest.mark.django_db
def test_an_unproven_email_in_a_silenced_members_name_is_refused_and_nobody_is_told(
    django_capture_on_commit_callbacks,
):
    group, moderator, marie, _thread = club()
    silence(group, moderator, marie)
    mail.outbox.clear()
    message = plain_message(
        sender="marie@example.org", to=group_address(group), subject="Promo", body="Achetez"
    )
    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound_store(
            raw=message.as_bytes(), mail_from="x@example.net", recipients=[message["To"]]
        )
    stored.refresh_from_db()
    # Not posted, not waiting for a confirmation, and the text is sent back to nobody:
    # anyone can write her address in From.
    assert stored.status == "rejected"
    assert not Thread.objects.filter(title="Promo").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_once_the_silence_is_over_her_email_posts_again(django_capture_on_commit_callbacks):
    group, moderator, marie, _thread = club()
    silence(group, moderator, marie)
    marie.memberships.filter(group=group).update(
        silenced_until=timezone.now() - timedelta(seconds=1)
    )
    message = plain_message(
        sender="marie@example.org", to=group_address(group), subject="Retour", body="Bonjour"
    )
    with django_capture_on_commit_callbacks(execute=True):
        stored = inbound_store(
            raw=signed_by_sender(message.as_bytes()),
            mail_from="marie@example.org",
            recipients=[message["To"]],
        )
    stored.refresh_from_db()
    assert stored.status == "processed"
    assert Thread.objects.filter(title="Retour").exists()

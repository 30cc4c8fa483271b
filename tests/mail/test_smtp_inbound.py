"""A real SMTP conversation with the listener: smtplib delivers, aiosmtpd answers.

The listener runs in its own thread with its own database connection, as in production,
hence the transactional database tests. Jobs run at once under test, so a message is
processed before the 250 reply comes back.
"""

import asyncio
import email
import smtplib
from email import policy
from email.utils import parseaddr

import pytest
from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connections

from goingsolo.discussions.models import Post, Via
from goingsolo.discussions.services import post_reply, thread_start
from goingsolo.groups.models import Visibility
from goingsolo.mail.inbound.listener import InboundHandler
from goingsolo.mail.management.commands.smtpd import LMTPController
from goingsolo.mail.models import BounceEvent, Delivery, InboundMessage, OutboundEmail
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import bounce_address, reply_address
from tests.factories import GroupFactory, MembershipFactory, UserFactory, member_of
from tests.support import free_port

from .inbound_support import (
    delivery_report,
    gmail_french_reply,
    group_address,
    outlook_english_reply,
    plain_message,
    signed_by_sender,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Sink:
    """An SMTP server that keeps what the instance sends."""

    def __init__(self):
        self.messages = []
        self.raw = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        self.raw.append(envelope.content)
        return "250 OK"


def stop(controller):
    """Stops the listener and closes the database connection its thread opened."""
    controller.stop()
    asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())


@pytest.fixture
def listener():
    controller = Controller(InboundHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    stop(controller)


@pytest.fixture
def sink(settings):
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def deliver(controller, message, recipients=None):
    with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
        return client.send_message(message, to_addrs=recipients)


def deliver_signed(controller, message, recipients=None):
    """MESSAGE as the sender's provider delivers it: DKIM-signed by the From domain."""
    raw = signed_by_sender(message.as_bytes())
    sender = parseaddr(str(message["From"]))[1]
    with smtplib.SMTP(controller.hostname, controller.port, timeout=10) as client:
        return client.sendmail(sender, recipients or [str(message["To"])], raw)


@pytest.fixture
def breakfast():
    group = GroupFactory(name="Going Solo", slug="going-solo")
    paul = member_of(group, display_name="Paul Martin", email="paul.martin@example.org")
    thread = thread_start(
        group=group, author=paul, title="Petit-déjeuner samedi", body="Qui apporte quoi ?"
    ).post.thread
    return group, thread


def refusal_at_rcpt(listener, sender, recipient):
    """The (code, text) the listener answers RCPT TO:RECIPIENT from SENDER; None if taken."""
    with smtplib.SMTP(listener.hostname, listener.port, timeout=10) as client:
        client.ehlo()
        client.mail(sender)
        code, text = client.rcpt(recipient)
    return None if code == 250 else (code, text)


def test_a_secret_groups_address_answers_a_stranger_as_an_unknown_one(listener):
    secret = GroupFactory(slug="inner-circle", visibility=Visibility.SECRET)
    member = member_of(secret, email="ines@example.org")
    unknown = refusal_at_rcpt(listener, "stranger@example.org", "nobody@goingsolo.localhost")
    secret_address = group_address(secret)
    assert unknown is not None and unknown[0] == 550
    assert refusal_at_rcpt(listener, "stranger@example.org", secret_address) == unknown
    assert refusal_at_rcpt(listener, "", secret_address) == unknown
    assert refusal_at_rcpt(listener, member.email, secret_address) is None


def test_a_sender_over_its_rate_is_told_to_come_back_later_and_nothing_is_kept(
    listener, breakfast, settings
):
    settings.GOINGSOLO_RATE_LIMITS = {"inbound_email": "2/h/key"}
    group, _thread = breakfast
    sent = [
        plain_message(
            sender="paul.martin@example.org", to=group_address(group), subject=f"Idée {n}"
        )
        for n in range(3)
    ]
    for message in sent[:2]:
        deliver(listener, message)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        deliver(listener, sent[2])
    assert refused.value.smtp_code == 451
    assert InboundMessage.objects.count() == 2
    # The answer is the SMTP reply: no email to an address that anyone may have forged.
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REFUSAL).exists()
    # The sender's server keeps the message and tries again: nothing is lost.


def test_an_unknown_recipient_is_refused_at_rcpt_with_550(listener, breakfast):
    message = plain_message(sender="marie@example.org", to="nobody@goingsolo.localhost")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        deliver(listener, message, ["nobody@goingsolo.example"])
    code, _text = next(iter(refused.value.recipients.values()))
    assert code == 550
    assert not InboundMessage.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_message_over_the_size_limit_is_refused_at_data_with_552(breakfast):
    group, _thread = breakfast
    controller = Controller(
        InboundHandler(), hostname="127.0.0.1", port=free_port(), data_size_limit=2000
    )
    controller.start()
    try:
        message = plain_message(
            sender="marie@example.org", to=group_address(group), body="x" * 5000
        )
        with pytest.raises(smtplib.SMTPResponseException) as refused:
            deliver(controller, message)
        assert refused.value.smtp_code == 552
    finally:
        stop(controller)
    assert not InboundMessage.objects.exists()
    assert not OutboundEmail.objects.exists()  # the 552 is the only answer


def test_replies_from_gmail_in_french_and_outlook_in_english_post_once_each(listener, breakfast):
    group, thread = breakfast
    marie = member_of(group, display_name="Marie Dupont", email="marie.dupont@example.org")
    john = member_of(group, display_name="John Smith", email="john@example.org", language="en")
    french = gmail_french_reply(
        sender="Marie Dupont <marie.dupont@example.org>",
        to=reply_address(thread, marie),
        subject=thread.title,
        new_text="Oui, je m’occupe des croissants.",
    )
    english = outlook_english_reply(
        sender="John Smith <John@Example.org>",
        to=reply_address(thread, john),
        subject=thread.title,
        new_text="I can bring coffee for everyone.",
    )

    assert deliver(listener, french) == {}
    assert deliver(listener, english) == {}

    stored = InboundMessage.objects.order_by("pk")
    assert [m.status for m in stored] == ["processed", "processed"]
    replies = list(thread.posts.filter(position__gt=1).order_by("position"))
    assert [(p.author, p.body, p.via) for p in replies] == [
        (marie, "Oui, je m’occupe des croissants.\n\nMarie", Via.EMAIL),
        (john, "I can bring coffee for everyone.\n\nJohn", Via.EMAIL),
    ]
    assert replies[0].message_id == french["Message-ID"]


def test_the_same_message_delivered_twice_posts_once(listener, breakfast):
    group, _thread = breakfast
    member_of(group, email="marie@example.org")
    message = plain_message(
        sender="marie@example.org", to=group_address(group), subject="Coworking"
    )

    deliver_signed(listener, message)
    deliver_signed(listener, message)

    assert Post.objects.filter(thread__title="Coworking").count() == 1
    statuses = sorted(InboundMessage.objects.values_list("status", flat=True))
    assert statuses == ["ignored", "processed"]
    assert "already posted" in InboundMessage.objects.get(status="ignored").note


def test_a_proven_stranger_gets_an_explanation_by_email_and_nothing_is_posted(
    listener, sink, breakfast
):
    group, _thread = breakfast
    message = plain_message(
        sender="Eve <eve@example.net>", to=group_address(group), subject="Buy my course"
    )

    deliver_signed(listener, message)

    stored = InboundMessage.objects.get()
    assert stored.status == "rejected"
    assert not Post.objects.filter(thread__title="Buy my course").exists()
    [(recipients, explanation)] = sink.messages
    assert recipients == ["eve@example.net"]
    assert explanation["Auto-Submitted"] == "auto-replied"
    assert explanation["In-Reply-To"] == message["Message-ID"]
    # In French and in English: the sender's language is unknown.
    html = explanation.get_body(("html",)).get_content()
    assert '<div lang="fr">' in html and '<div lang="en">' in html
    assert "eve@example.net" in explanation.get_body(("plain",)).get_content()


def test_an_out_of_office_and_a_bounce_over_smtp_post_nothing_and_answer_nobody(
    listener, sink, breakfast
):
    group, thread = breakfast
    marie = member_of(group, email="marie@example.org")
    out_of_office = plain_message(
        sender="marie@example.org",
        to=reply_address(thread, marie),
        subject=f"Réponse automatique : {thread.title}",
        headers={"Auto-Submitted": "auto-replied"},
    )
    deliver(listener, out_of_office)
    with smtplib.SMTP(listener.hostname, listener.port, timeout=10) as client:
        client.sendmail(
            "",
            [bounce_address(marie)],
            delivery_report(to=bounce_address(marie), recipient="marie@example.org"),
        )

    assert thread.posts.count() == 1
    rows = InboundMessage.objects.order_by("pk")
    assert [(m.status, m.kind) for m in rows] == [("ignored", ""), ("processed", "bounce")]
    assert rows[1].mail_from == "<>"
    assert BounceEvent.objects.get().user == marie
    assert sink.messages == []


def test_round_trip_a_post_mailed_out_comes_back_ignored_and_its_reply_posts(
    listener, sink, breakfast
):
    """The web posts; the member gets the post by email; the copy that loops back to the
    list is ignored; the member's reply to its Reply-To posts once, in the thread."""
    group, thread = breakfast
    marie = member_of(group, display_name="Marie Dupont", email="marie@example.org")
    subscription_set_delivery(user=marie, group=group, delivery=Delivery.EVERY)
    paul = thread.author
    post_reply(thread=thread, author=paul, body="J’apporte le café.")

    [index] = [n for n, item in enumerate(sink.messages) if "marie@example.org" in item[0]]
    mailed, looped = sink.messages[index][1], sink.raw[index]
    with smtplib.SMTP(listener.hostname, listener.port, timeout=10) as client:
        client.sendmail("marie@example.org", [group_address(group)], looped)
    assert InboundMessage.objects.get().status == "ignored"

    _name, reply_to = parseaddr(str(mailed["Reply-To"]))
    answer = gmail_french_reply(
        sender="Marie Dupont <marie@example.org>",
        to=reply_to,
        subject=str(mailed["Subject"]).removeprefix("Re: "),
        new_text="Et moi les croissants.",
    )
    answer["In-Reply-To"] = str(mailed["Message-ID"])
    deliver(listener, answer)

    assert list(thread.posts.values_list("author__email", "body")) == [
        ("paul.martin@example.org", "Qui apporte quoi ?"),
        ("paul.martin@example.org", "J’apporte le café."),
        ("marie@example.org", "Et moi les croissants.\n\nMarie"),
    ]


def test_lmtp_answers_data_once_per_recipient(breakfast):
    group, _thread = breakfast
    other = GroupFactory(slug="solocamp")
    marie = UserFactory(email="marie@example.org")
    for each in (group, other):
        MembershipFactory(group=each, user=marie)
    controller = LMTPController(InboundHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    recipients = [group_address(group), group_address(other)]
    try:
        message = plain_message(
            sender="marie@example.org", to=", ".join(recipients), subject="Both groups"
        )
        with smtplib.LMTP(controller.hostname, controller.port, timeout=10) as client:
            client.ehlo_or_helo_if_needed()
            client.mail("marie@example.org")
            for recipient in recipients:
                assert client.rcpt(recipient)[0] == 250
            replies = [client.data(signed_by_sender(message.as_bytes()))[0], client.getreply()[0]]
        assert replies == [250, 250]
    finally:
        stop(controller)
    assert Post.objects.filter(thread__title="Both groups").count() == 2


def test_a_forged_sender_over_smtp_is_asked_and_their_reply_over_smtp_posts(
    listener, sink, breakfast
):
    """Unsigned, from a client no SPF record allows: the message waits; the member's
    answer to the confirmation email, delivered to the listener, posts it once."""
    group, _thread = breakfast
    member_of(group, display_name="Marie Dupont", email="marie@example.org", language="fr")
    message = plain_message(
        sender="Marie Dupont <marie@example.org>", to=group_address(group), subject="Apéro"
    )

    deliver(listener, message)

    stored = InboundMessage.objects.get()
    assert (stored.status, stored.client_address) == ("awaiting", "127.0.0.1")
    assert stored.helo  # smtplib says EHLO with this machine's name
    assert not Post.objects.filter(thread__title="Apéro").exists()
    [(recipients, question)] = sink.messages
    assert recipients == ["marie@example.org"]
    assert (
        str(question["Subject"]).strip()
        == "Avez-vous envoyé «\u00a0Apéro\u00a0» à Going Solo\u00a0?"
    )
    confirm_address = parseaddr(str(question["Reply-To"]))[1]

    answer = plain_message(
        sender="marie@example.org", to=confirm_address, subject="Re: " + str(question["Subject"])
    )
    deliver(listener, answer)
    deliver(listener, answer)  # a second copy changes nothing

    assert Post.objects.filter(thread__title="Apéro").count() == 1
    stored.refresh_from_db()
    assert stored.status == "processed"


def test_spf_over_smtp_checks_the_client_address_the_listener_saw(
    listener, sink, breakfast, local_dns
):
    group, _thread = breakfast
    member_of(group, email="marie@example.org")
    local_dns.set("example.org", "TXT", ["v=spf1 ip4:127.0.0.1 -all"])
    message = plain_message(sender="marie@example.org", to=group_address(group), subject="SPF")

    deliver(listener, message)

    stored = InboundMessage.objects.get()
    assert (stored.status, stored.authentication[:13]) == ("processed", "proven by spf")
    assert Post.objects.filter(thread__title="SPF").exists()
    assert sink.messages == []

"""A post reaches members in mailing-list mode over a real SMTP conversation, with the
headers mail clients and list tools rely on."""

import re
from email.utils import parseaddr

import pytest
from django.urls import reverse

from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post, Thread, ThreadSubscription
from goingsolo.mail.models import Delivery, OutboundEmail
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import (
    bounce_address,
    resolve_bounce_token,
    resolve_reply_token,
    resolve_unsubscribe_token,
)
from tests.factories import member_of

from .outbound_helpers import sink_fixture

pytestmark = pytest.mark.django_db
sink = sink_fixture()

DOMAIN = "lists.example.org"


@pytest.fixture(autouse=True)
def _mail_domain(settings):
    settings.GOINGSOLO_MAIL_DOMAIN = DOMAIN
    settings.SITE_URL = "https://goingsolo.example.org"


def reader(group, delivery=Delivery.EVERY, **fields):
    user = member_of(group, **fields)
    subscription_set_delivery(user=user, group=group, delivery=delivery)
    return user


def start(group, author, title="Vos matinées", body="Comment organisez-vous vos matinées ?"):
    return discussions.thread_start(group=group, author=author, title=title, body=body).post


def reply(thread, author, body="Moi je commence par le courrier."):
    return discussions.post_reply(thread=thread, author=author, body=body).post


def test_a_post_reaches_a_mailing_list_member_with_list_headers(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group, display_name="Marie Curie")
    bob = reader(group, display_name="Bob")
    with django_capture_on_commit_callbacks(execute=True):
        opening = start(group, marie)
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(opening.thread, marie, body="J'ajoute : **café** d'abord.")

    first, second = sink.to(bob.email)
    opening.refresh_from_db()
    answer.refresh_from_db()

    # From: the author in the display name, the group's address on our domain.
    name, address = parseaddr(str(second["From"]))
    assert name == "Marie Curie via Going Solo"
    assert address == f"going-solo@{DOMAIN}"
    assert str(second["To"]) == f"Going Solo <going-solo@{DOMAIN}>"
    assert str(first["Subject"]) == "[Going Solo] Vos matinées"
    assert str(second["Subject"]) == "Re: [Going Solo] Vos matinées"

    # Threading: each post's Message-ID is stored on the post and referenced by the next.
    assert opening.message_id == f"<post-{opening.pk}.{opening.thread_id}@{DOMAIN}>"
    assert str(first["Message-ID"]) == opening.message_id
    assert str(second["Message-ID"]) == answer.message_id
    assert str(second["In-Reply-To"]) == opening.message_id
    assert str(second["References"]) == opening.message_id
    assert first["In-Reply-To"] is None

    # Reply-To: this member's own address for this thread.
    _name, reply_to = parseaddr(str(second["Reply-To"]))
    local, _, domain = reply_to.partition("@")
    slug, _, token = local.partition("+")
    assert (slug, domain) == ("going-solo", DOMAIN)
    assert resolve_reply_token(token) == (opening.thread, bob)
    assert resolve_reply_token(token.upper()) == (opening.thread, bob)

    # List headers (RFC 2369, 2919, 8058).
    assert str(second["List-Id"]) == f"Going Solo <going-solo.{DOMAIN}>"
    assert str(second["List-Post"]) == f"<mailto:going-solo@{DOMAIN}>"
    assert str(second["List-Archive"]) == "<https://goingsolo.example.org/g/going-solo/>"
    assert str(second["List-Help"]).startswith("<https://goingsolo.example.org/mail/choice/")
    https, mailto = re.findall(r"<([^>]+)>", str(second["List-Unsubscribe"]))
    assert https.startswith("https://goingsolo.example.org/mail/unsubscribe/")
    unsubscribe_local = mailto.removeprefix("mailto:").split("@")[0]
    assert resolve_unsubscribe_token(unsubscribe_local.partition("+")[2]) == (bob, group)
    assert str(second["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert str(second["Precedence"]) == "list"
    # Written by a person: not auto-submitted.
    assert second["Auto-Submitted"] is None

    # The envelope sender names this very email (VERP), for bounces.
    local, _, domain = second.mail_from.partition("@")
    assert domain == DOMAIN and local.startswith("bounces+")
    email = resolve_bounce_token(local.partition("+")[2])
    assert email.user == bob and email.post_id == answer.pk and email.group == group
    assert email.status == OutboundEmail.Status.SENT and email.to_address == bob.email

    # Text and HTML, with links that work outside the site.
    assert "J'ajoute : café d'abord." in second.text()
    assert "<strong>café</strong>" in second.html()
    assert "Marie Curie wrote:" in second.text()
    assert "https://goingsolo.example.org/mail/choice/" in second.text()
    assert 'href="https://goingsolo.example.org/mail/unsubscribe/' in second.html()
    # Nobody gets their own post back.
    assert sink.to(marie.email) == []


def test_posts_written_on_the_web_reach_the_sink_threaded(
    sink, group, client, django_capture_on_commit_callbacks
):
    marie = member_of(group, display_name="Marie")
    bob = reader(group)
    client.force_login(marie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussions:thread_create", args=[group.slug]),
            {"title": "Vos matinées", "body": "Comment commencez-vous la journée ?"},
        )
    assert response.status_code == 302
    thread = Thread.objects.get(title="Vos matinées")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("discussions:reply", args=[group.slug, thread.pk]),
            {"body": "Et vous, @bob, le café d'abord ?"},
        )
    first, second = sink.to(bob.email)
    assert str(first["Subject"]) == "[Going Solo] Vos matinées"
    assert str(second["Subject"]) == "Re: [Going Solo] Vos matinées"
    assert str(second["In-Reply-To"]) == str(first["Message-ID"])
    assert parseaddr(str(second["From"])) == ("Marie via Going Solo", f"going-solo@{DOMAIN}")
    assert resolve_reply_token(parseaddr(str(second["Reply-To"]))[1].split("@")[0].split("+")[1])
    assert "le café d'abord ?" in second.text()
    assert f"https://goingsolo.example.org/g/going-solo/t/{thread.pk}/#post-2" in second.text()


def test_a_french_member_gets_the_mail_in_french(sink, group, django_capture_on_commit_callbacks):
    marie = member_of(group, display_name="Marie")
    lea = reader(group, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        start(group, marie)
    message = sink.one_to(lea.email)
    assert "Marie a écrit\u00a0:" in message.text()
    assert "Se désabonner" in message.html()
    assert parseaddr(str(message["From"]))[0] == "Marie via Going Solo"


def test_references_start_with_the_opening_post_and_are_capped(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group)
    opening = start(group, marie)
    for n in range(25):
        reply(opening.thread, marie, body=f"Point {n}")
    bob = reader(group)
    with django_capture_on_commit_callbacks(execute=True):
        last = reply(opening.thread, marie, body="Et pour finir.")
    references = str(sink.one_to(bob.email)["References"]).split()
    earlier = list(
        Post.objects.filter(thread=opening.thread, position__lt=last.position).order_by("position")
    )
    assert len(references) == 20
    assert references[0] == f"<post-{opening.pk}.{opening.thread_id}@{DOMAIN}>"
    assert references[-1] == f"<post-{earlier[-1].pk}.{opening.thread_id}@{DOMAIN}>"


def test_a_post_that_came_by_email_keeps_its_message_id(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group)
    bob = reader(group)
    with django_capture_on_commit_callbacks(execute=True):
        discussions.thread_start(
            group=group,
            author=marie,
            title="Par courriel",
            body="Écrit dans mon logiciel de courrier.",
            via="email",
            message_id="<CAF1234@mail.example.com>",
        )
    assert str(sink.one_to(bob.email)["Message-ID"]) == "<CAF1234@mail.example.com>"
    with django_capture_on_commit_callbacks(execute=True):
        mangled = discussions.thread_start(
            group=group,
            author=marie,
            title="Mangled",
            body="A mail client wrote a broken Message-ID.",
            via="email",
            message_id="<café\r\nBcc: x@y.org>",
        ).post
    message = next(m for m in sink.to(bob.email) if "Mangled" in str(m["Subject"]))
    assert str(message["Message-ID"]) == f"<post-{mangled.pk}.{mangled.thread_id}@{DOMAIN}>"
    assert message["Bcc"] is None


def test_delivery_choices_decide_who_gets_a_post_right_away(
    sink, group, django_capture_on_commit_callbacks
):
    author = member_of(group, display_name="Author")
    every = reader(group, Delivery.EVERY)
    mine = reader(group, Delivery.MINE, display_name="Mine", handle="mine")
    daily = reader(group, Delivery.DAILY)
    weekly = reader(group, Delivery.WEEKLY)
    nothing = reader(group, Delivery.NONE)
    default = member_of(group)  # never chose: a daily digest

    with django_capture_on_commit_callbacks(execute=True):
        thread = start(group, author, title="A thread by someone else").thread
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread, author, body="A reply nobody in 'mine' mode asked for.")
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread, author, body="Hello @mine, what do you think?")
    with django_capture_on_commit_callbacks(execute=True):
        own = start(group, mine, title="My own thread").thread
    with django_capture_on_commit_callbacks(execute=True):
        reply(own, author, body="A reply in Mine's thread.")

    assert len(sink.to(every.email)) == 5  # every post, none of them theirs
    assert [m["Subject"] for m in sink.to(mine.email)] == [
        "Re: [Going Solo] A thread by someone else",
        "Re: [Going Solo] My own thread",
    ]
    assert "@mine" in sink.to(mine.email)[0].text()
    for member in (daily, weekly, nothing, default):
        assert sink.to(member.email) == []


def test_a_muted_thread_sends_nothing_and_a_followed_one_counts_as_mine(
    sink, group, django_capture_on_commit_callbacks
):
    author = member_of(group)
    every = reader(group, Delivery.EVERY)
    mine = reader(group, Delivery.MINE)
    thread = start(group, author).thread
    discussions.thread_subscribe(thread=thread, user=every, state=ThreadSubscription.State.MUTED)
    discussions.thread_subscribe(thread=thread, user=mine, state=ThreadSubscription.State.FOLLOWING)
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread, author)
    assert sink.to(every.email) == []
    assert len(sink.to(mine.email)) == 1


def test_an_imported_post_is_never_mailed(sink, group, django_capture_on_commit_callbacks):
    reader(group)
    with django_capture_on_commit_callbacks(execute=True):
        discussions.thread_start(
            group=group,
            author=None,
            title="Old",
            body="From the archive",
            via="import",
            guest_author_name="Someone",
        )
    assert sink.received == []


def test_bounce_addresses_name_an_email_or_a_member_and_nothing_forged(group):
    bob = member_of(group)
    member_address = bounce_address(bob)
    token = member_address.split("@")[0].partition("+")[2]
    assert resolve_bounce_token(token) == bob
    assert resolve_bounce_token(token.upper()) == bob
    assert resolve_bounce_token(token[:-2]) is None
    assert resolve_bounce_token(bounce_address(999_999).split("@")[0].partition("+")[2]) is None
    assert resolve_bounce_token("1-aaaaaaaaaaaaaaaa") is None
    assert resolve_reply_token(token) is None  # a token made for bounces replies nowhere

"""The attack suite, by email: hostile text sent as mail to a group, then everything that
shows it.

Every payload of the suite (`tests/xss_payloads.py` and the rendering test's own) arrives
by email — in the subject, the text, the HTML part, the display name of From and the name
of an attached file — as a new thread, a reply by token, a thread held for a moderator, a
message waiting for its sender, and a stranger's refused message. Then the thread list,
every thread page, the search, the group's archive, the review queue's held email, the confirmation page
and every email the instance sent (list mail, a digest, the confirmation, the refusals)
are read with the checks of tests/security/test_rendering_payloads.py: nothing the
payload carries may become active, and no header may be smuggled in.
"""

import email
import io
import re
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from goingsolo.discussions.models import Attachment, Post, Thread
from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Role
from goingsolo.mail.models import Delivery, InboundMessage, ListSettings
from goingsolo.mail.outbound.digests import queue_digests
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import confirmation_url, reply_address
from tests.factories import GroupFactory, member_of
from tests.mail.inbound_support import group_address, receive
from tests.security.test_rendering_payloads import HOSTILE, active_parts, problems_in
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

EVERY_PAYLOAD = [*PAYLOADS, *HOSTILE.values()]


def _png():
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def hostile_message(payload, *, sender, to):
    """A message with PAYLOAD wherever a mail client lets its writer type (on one line in
    the headers: a mail client writes no line break there; the header injection test of
    test_rendering_payloads covers names with one)."""
    one_line = re.sub(r"[\r\n]+", " ", payload)
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = one_line
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="example.org")
    message.set_content(f"{payload}\n\nMarie")
    message.add_alternative(f"<div>{payload}</div><div>Marie</div>", subtype="html")
    message.add_attachment(PNG, maintype="image", subtype="png", filename=f"{one_line[:80]}.png")
    # From quoted as a mail client quotes it (formataddr), written as it is: the email
    # package writes some of these names back unquoted, and the From then names no one.
    sender_header = formataddr((one_line[:200], sender)).encode()
    return b"From: " + sender_header + b"\n" + message.as_bytes()


def chunks(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


# One world for the one test: it sends a hundred messages or so.
@pytest.fixture
def world(settings, django_capture_on_commit_callbacks):
    """The group receives every payload by email, by each path; returns who reads what."""
    settings.GOINGSOLO_MAIL_POSTS_PER_HOUR = 10_000
    cache.clear()
    group = GroupFactory(name="Going Solo", slug="going-solo")
    owner = member_of(group, role=Role.OWNER, display_name="Olivia", email="olivia@example.org")
    marie = member_of(group, display_name="Marie", email="marie@example.org")
    reader = member_of(group, display_name="Rita", email="rita@example.org")
    subscription_set_delivery(user=reader, group=group, delivery=Delivery.EVERY)
    member_of(group, display_name="Dan", email="dan@example.org")  # the daily digest
    opening = thread_start(group=group, author=owner, title="Bienvenue", body="Salut.").post

    def sent(raw, **options):
        to = email.message_from_bytes(raw)["To"]
        return receive(django_capture_on_commit_callbacks, raw, [to], **options)

    for payload in EVERY_PAYLOAD:  # new threads, proven
        stored = sent(hostile_message(payload, sender=marie.email, to=group_address(group)))
        too_long = stored.status == "rejected" and "at most" in stored.note  # and told why
        assert stored.status == "processed" or too_long, (payload[:80], stored.note)
    for payload in EVERY_PAYLOAD[:5]:  # replies by token
        to = reply_address(opening.thread, marie)
        assert sent(hostile_message(payload, sender=marie.email, to=to)).status == "processed"
    joined = [" ".join(chunk) for chunk in chunks(EVERY_PAYLOAD, 20)]
    awaiting = [  # unproven: they wait for Marie, who is asked once
        sent(hostile_message(text, sender=marie.email, to=group_address(group)), signed=False)
        for text in joined
    ]
    assert {message.status for message in awaiting} == {"awaiting"}, [m.note for m in awaiting]
    for number, text in enumerate(joined):  # strangers, proven: each told why
        stranger = f"eve{number}@example.net"
        assert sent(hostile_message(text, sender=stranger, to=group_address(group))).status == (
            "rejected"
        )
    ListSettings.objects.create(group=group, hold_new_threads=True)
    for text in joined:  # held for a moderator
        assert sent(hostile_message(text, sender=marie.email, to=group_address(group))).status == (
            "held"
        )
    with django_capture_on_commit_callbacks(execute=True):
        queue_digests(frequency="daily", now=timezone.now() + timedelta(hours=1))
    return {"group": group, "owner": owner, "marie": marie, "awaiting": awaiting[0]}


def pages_of(world):
    """(url, what it must show) of the pages that show what came by email, as the group's
    owner and as Marie see them: a page that shows none of the payloads proves nothing."""
    group = world["group"]
    search = reverse("groups:search")
    owner_pages = [
        (group.get_absolute_url(), "alert("),
        (search + "?" + urlencode({"q": "alert"}), "alert("),
        (search + "?" + urlencode({"q": "alert", "group": group.pk}), "alert("),
        (reverse("moderation:queue", args=[group.slug]) + "?kind=emails", "alert("),
        *(
            (thread.get_absolute_url(), escape(thread.title))
            for thread in Thread.objects.filter(group=group)
        ),
    ]
    message = world["awaiting"]
    marie_pages = [(urlsplit(confirmation_url(message.pk, world["marie"].pk)).path, "alert(")]
    return owner_pages, marie_pages


def test_hostile_mail_never_becomes_active_on_any_page_or_email(world):
    group = world["group"]
    assert Thread.objects.filter(group=group).count() > len(EVERY_PAYLOAD) - 5
    assert Attachment.objects.filter(post__group=group).count() > len(EVERY_PAYLOAD)
    assert InboundMessage.objects.filter(status="held").exists()
    owner_pages, marie_pages = pages_of(world)
    found, read = [], 0
    for user, pages in ((world["owner"], owner_pages), (None, marie_pages)):
        client = Client()
        if user is not None:
            client.force_login(user)
        for url, shown in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            read += 1
            assert shown in response.content.decode(), url
            found += [(url, problem) for problem in problems_in(response)]
    assert read == len(owner_pages) + len(marie_pages)
    assert not found, found[:20]

    # Every email: list mail to Rita, Dan's digest, Marie's confirmation, the refusals.
    kinds = {message.parsed.get("Auto-Submitted", "list") for message in mail.outbox}
    assert {"list", "auto-generated", "auto-replied"} <= kinds, kinds
    assert any("/mail/confirm/" in message.body for message in mail.outbox)
    for message in mail.outbox:
        for html, _kind in message.alternatives:
            assert not active_parts(html), (message.subject, active_parts(html)[:5])
        headers = email.message_from_bytes(message.message().as_bytes())
        assert headers["Bcc"] is None, message.subject

    # The group's archive: one message per post, whatever the subjects and names hold.
    owner = Client()
    owner.force_login(world["owner"])
    response = owner.get(reverse("mail:archive", args=[group.slug]))
    archive = b"".join(response.streaming_content).decode()
    starts = re.findall(r"^From \S+ ", archive, flags=re.MULTILINE)
    assert len(starts) == Post.objects.filter(group=group, deleted_at__isnull=True).count()

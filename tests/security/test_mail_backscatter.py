"""No backscatter: a refusal is explained only to a sender whose From address is proven.

Anyone can write any address in From. An explanation sent to it reaches a person who wrote
nothing, and a spammer who forges a victim's address could flood them through us. Each
refusal path below runs twice with the same message: DKIM-signed by the domain of its From
address (proven: exactly one explanation is queued, to that address) and unsigned, as a
forger sends it (nothing in the outbound queue). The SMTP refusals (unknown address, too
big, over the sender's rate) answer in the SMTP conversation only:
tests/mail/test_smtp_inbound.py checks that the queue stays empty there too.
"""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache

from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Visibility
from goingsolo.mail import reply_tokens
from goingsolo.mail.inbound.refusals import send_inbound_refusal
from goingsolo.mail.models import InboundMessage, OutboundEmail
from tests.factories import GroupFactory, UserFactory, member_of
from tests.mail.inbound_support import group_address, plain_message, receive

pytestmark = pytest.mark.django_db

DOMAIN = settings.GOINGSOLO_MAIL_DOMAIN


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def world(group):
    marie = member_of(group, display_name="Marie", email="marie@example.org")
    john = member_of(group, display_name="John", email="john@example.org")
    EmailAddress.objects.create(user=marie, email="marie@work.example", verified=False)
    UserFactory(email="outsider@example.org")
    thread = thread_start(group=group, author=john, title="Coworking", body="Qui ?").post.thread
    secret = GroupFactory(slug="inner-circle", visibility=Visibility.SECRET)
    member_of(secret, email="ines@example.org")
    return {"group": group, "marie": marie, "john": john, "thread": thread, "secret": secret}


def _forged_token(world):
    return reply_tokens.reply_address(world["thread"], world["marie"]).replace("+", "+9")


# (sender, recipient, the reason its note starts with)
PATHS = {
    "unknown group": (
        lambda w: ("eve@example.net", f"no-such-group@{DOMAIN}"),
        "no group",
    ),
    "a stranger": (lambda w: ("eve@example.net", group_address(w["group"])), "unknown_sender"),
    "closed group, not a member": (
        lambda w: ("outsider@example.org", group_address(w["group"])),
        "member",
    ),
    "secret group, not a member": (
        lambda w: ("eve@example.net", group_address(w["secret"])),
        "unknown_sender",
    ),
    "unverified address of a member": (
        lambda w: ("marie@work.example", group_address(w["group"])),
        "unverified_sender",
    ),
    "forged reply token": (lambda w: ("eve@example.net", _forged_token(w)), "invalid reply"),
    "another member's reply token": (
        lambda w: ("john@example.org", reply_tokens.reply_address(w["thread"], w["marie"])),
        "reply address of member",
    ),
    "forged confirmation token": (
        lambda w: ("eve@example.net", f"{w['group'].slug}+confirm-1-2-aaaaaaaaaaaaaaaa@{DOMAIN}"),
        "invalid confirm",
    ),
}


@pytest.mark.parametrize("proven", [True, False], ids=["proven", "forged"])
@pytest.mark.parametrize("path", list(PATHS))
def test_a_refusal_is_explained_to_a_proven_sender_only(
    django_capture_on_commit_callbacks, world, path, proven
):
    addresses, reason = PATHS[path]
    sender, recipient = addresses(world)
    message = plain_message(sender=sender, to=recipient, subject="Bonjour")

    stored = receive(django_capture_on_commit_callbacks, message, signed=proven)

    assert stored.status == "rejected" and stored.note.startswith(reason), stored.note
    refusals = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REFUSAL)
    if proven:
        assert [email.to_address for email in refusals] == [sender]
        assert stored.note.endswith("(sender told)")
    else:
        assert OutboundEmail.objects.count() == 0
        assert stored.note.endswith("(sender not told: not proven)")
        assert stored.authentication.startswith("not proven")


def test_a_member_over_the_hourly_limit_writing_unproven_is_asked_not_refused(
    django_capture_on_commit_callbacks, settings, world
):
    """Past the limit, a proven member is told (tests/mail/test_inbound.py); an unproven
    message only waits for its member, who is asked at their own verified address."""
    settings.GOINGSOLO_MAIL_POSTS_PER_HOUR = 0
    message = plain_message(sender="marie@example.org", to=group_address(world["group"]))
    stored = receive(django_capture_on_commit_callbacks, message, signed=False)
    assert stored.status == "awaiting"
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REFUSAL).exists()


def test_a_refusal_job_queued_before_senders_were_checked_sends_nothing(world):
    send_inbound_refusal.call(
        address="eve@example.net", languages=["en"], context={"reason": "unknown_sender"}
    )
    assert OutboundEmail.objects.count() == 0
    assert InboundMessage.objects.count() == 0

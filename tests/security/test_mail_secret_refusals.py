"""A refusal never names a group its sender may not know exists.

A stranger writing to a secret group's address (past the listener, which answers them as
an unknown address, with a member's MAIL FROM) is told exactly what an address where there
is no group tells them: the same subject and the same words, but for the address itself.
A closed group is known to all (its name, its page): its refusal may name it.
"""

import email
from email import policy

import pytest
from django.conf import settings
from django.core.cache import cache

from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Visibility
from goingsolo.mail import reply_tokens
from goingsolo.mail.models import OutboundEmail
from tests.factories import GroupFactory, UserFactory, member_of
from tests.mail.inbound_support import group_address, plain_message, receive

pytestmark = pytest.mark.django_db

DOMAIN = settings.GOINGSOLO_MAIL_DOMAIN


@pytest.fixture
def secret():
    group = GroupFactory(name="Cercle intime", slug="inner-circle", visibility=Visibility.SECRET)
    member_of(group, email="ines@example.org")
    return group


def refusal_to(django_capture_on_commit_callbacks, *, sender, address):
    """The explanation SENDER gets for a proven message to ADDRESS: (subject, text, html)
    with the address written as ADDRESS."""
    cache.clear()  # one explanation an hour per address: each test asks several times
    OutboundEmail.objects.all().delete()
    message = plain_message(sender=sender, to=address, subject="Bonjour", message_id="<m@x>")
    stored = receive(django_capture_on_commit_callbacks, message)
    assert stored.status == "rejected", stored.note
    [refusal] = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REFUSAL)
    parsed = email.message_from_bytes(bytes(refusal.raw_message), policy=policy.default)
    parts = [
        str(parsed["Subject"]),
        parsed.get_body(("plain",)).get_content(),
        parsed.get_body(("html",)).get_content(),
    ]
    return [part.replace(address, "ADDRESS") for part in parts]


@pytest.mark.parametrize("sender", ["eve@example.net", "outsider@example.org"])
def test_a_non_member_writing_to_a_secret_group_gets_the_unknown_address_answer(
    django_capture_on_commit_callbacks, secret, sender
):
    UserFactory(email="outsider@example.org", language="fr")  # an account, in no group
    unknown = refusal_to(
        django_capture_on_commit_callbacks, sender=sender, address=f"no-such-group@{DOMAIN}"
    )
    to_secret = refusal_to(
        django_capture_on_commit_callbacks, sender=sender, address=group_address(secret)
    )

    assert to_secret == unknown
    assert "There is no group at this address." in unknown[1]
    assert "Cercle intime" not in "".join(to_secret) and "inner-circle" not in to_secret[2]


def test_a_stranger_using_a_secret_groups_reply_address_learns_nothing_more(
    django_capture_on_commit_callbacks, secret
):
    ines = secret.memberships.get().user
    thread = thread_start(group=secret, author=ines, title="Entre nous", body="…").post.thread
    address = reply_tokens.reply_address(thread, ines)
    forged = address.replace("+", "+9")
    unknown = refusal_to(
        django_capture_on_commit_callbacks,
        sender="eve@example.net",
        address=f"no-such-group@{DOMAIN}",
    )
    for written_to in (address, forged):
        seen = refusal_to(
            django_capture_on_commit_callbacks, sender="eve@example.net", address=written_to
        )
        assert seen == unknown
        assert "Entre nous" not in "".join(seen)


def test_a_closed_groups_refusal_names_the_group(django_capture_on_commit_callbacks, group):
    UserFactory(email="outsider@example.org")
    unknown = refusal_to(
        django_capture_on_commit_callbacks,
        sender="outsider@example.org",
        address=f"no-such-group@{DOMAIN}",
    )
    closed = refusal_to(
        django_capture_on_commit_callbacks,
        sender="outsider@example.org",
        address=group_address(group),
    )
    assert closed != unknown
    assert "You are not a member of Going Solo" in closed[1]
    assert group.get_absolute_url() in closed[2]

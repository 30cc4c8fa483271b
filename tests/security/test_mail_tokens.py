"""Tokens in emails are revocable.

Every link and address an email gives a member (reply, unsubscribe, email choice, stop
watching a wiki page, confirming a message) is signed with the member's private links key
and, for a group's, their membership: "reset my private links", leaving the group (joining
again does not bring them back) and deleting the account each make every older one
refused, with a page or an email that says why. Tokens of the former kind, signed without
the member's key, are refused with their own explanation.
"""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from goingsolo.accounts.services import account_delete, private_links_reset
from goingsolo.discussions.models import Post
from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Group, JoinPolicy, Membership
from goingsolo.groups.services import group_join, membership_leave
from goingsolo.mail import reply_tokens
from goingsolo.mail.models import InboundMessage
from goingsolo.wiki import services as wiki
from tests.factories import member_of
from tests.mail.inbound_support import plain_message, receive

pytestmark = pytest.mark.django_db

REVOKED = "the links in emails stop working when you reset your private links"
FORMER = "sent before December 2026"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def marie(group):
    return member_of(group, display_name="Marie", email="marie@example.org", language="en")


@pytest.fixture
def thread(group, marie):
    return thread_start(group=group, author=marie, title="Coworking", body="Qui ?").post.thread


@pytest.fixture
def page(group, marie):
    Membership.objects.filter(user=marie).update(approvals=3)
    page = wiki.page_create(group=group, author=marie, title="Tarifs", body="Jour ?").page
    wiki.page_watch(page=page, user=marie, watching=True)
    return page


def links_of(marie, group, page):
    """The paths of the links an email gives MARIE, as it gives them now."""
    return {
        "unsubscribe": urlsplit(reply_tokens.unsubscribe_url(marie.pk, group.pk)).path,
        "delivery": urlsplit(reply_tokens.delivery_url(marie.pk, group.pk)).path,
        "unwatch": urlsplit(reply_tokens.unwatch_url(marie.pk, page.pk)).path,
    }


def statuses(links):
    return {kind: Client().get(path).status_code for kind, path in links.items()}


def leave(marie, group):
    membership_leave(membership=Membership.objects.get(user=marie, group=group))


REVOCATIONS = {
    "reset of private links": lambda marie, group: private_links_reset(user=marie),
    "leaving the group": leave,
    "leaving and joining again": lambda marie, group: (
        leave(marie, group),
        group_join(group=Group.objects.get(pk=group.pk), user=marie, accept_rules=True),
    ),
}


@pytest.mark.parametrize("revocation", list(REVOCATIONS))
def test_links_emailed_before_a_revocation_are_refused_with_a_page_saying_why(
    group, marie, page, revocation
):
    Group.objects.filter(pk=group.pk).update(join_policy=JoinPolicy.OPEN)
    before = links_of(marie, group, page)
    assert statuses(before) == {"unsubscribe": 200, "delivery": 200, "unwatch": 200}

    REVOCATIONS[revocation](marie, group)
    marie.refresh_from_db()

    assert statuses(before) == {"unsubscribe": 404, "delivery": 404, "unwatch": 404}
    response = Client().get(before["unsubscribe"])
    assert REVOKED in response.content.decode()
    assert Client().post(before["unsubscribe"]).status_code == 404  # one-click too
    if Membership.objects.filter(user=marie, group=group).exists():
        # The links of the emails sent since work.
        assert statuses(links_of(marie, group, page)) == {k: 200 for k in before}


def test_the_revoked_link_page_is_in_french_for_a_french_browser(group, marie, page):
    path = links_of(marie, group, page)["delivery"]
    private_links_reset(user=marie)
    html = Client(headers={"accept-language": "fr"}).get(path).content.decode()
    assert "quand vous réinitialisez vos liens privés" in html


def test_a_deleted_accounts_links_are_refused(group, marie, page):
    before = links_of(marie, group, page)
    account_delete(user=marie, keep_posts=True)
    assert statuses(before) == {"unsubscribe": 404, "delivery": 404, "unwatch": 404}


def test_a_token_of_the_former_kind_is_refused_with_its_own_explanation(group, marie, page):
    former = {
        "unsubscribe": reply_tokens.make_token("unsubscribe", marie.pk, group.pk),
        "delivery": reply_tokens.make_token("delivery", marie.pk, group.pk),
        "unwatch": reply_tokens.make_token("wiki-unwatch", marie.pk, page.pk),
    }
    paths = {
        "unsubscribe": f"/mail/unsubscribe/{former['unsubscribe']}/",
        "delivery": f"/mail/choice/{former['delivery']}/",
        "unwatch": f"/mail/unwatch/{former['unwatch']}/",
    }
    for kind, path in paths.items():
        response = Client().get(path)
        assert response.status_code == 404, kind
        assert FORMER in response.content.decode(), kind
    forged = paths["delivery"][:-3] + "x/"
    assert FORMER not in Client().get(forged).content.decode()


# --- By mail --------------------------------------------------------------------------------


def reply(django_capture_on_commit_callbacks, to, body):
    message = plain_message(sender="marie@example.org", to=to, subject="Re: Coworking", body=body)
    return receive(django_capture_on_commit_callbacks, message, mail_from="marie@example.org")


def test_a_reply_address_emailed_before_a_reset_is_refused_and_explained(
    django_capture_on_commit_callbacks, group, marie, thread
):
    before = reply_tokens.reply_address(thread, marie)
    assert reply(django_capture_on_commit_callbacks, before, "Moi.").status == "processed"

    private_links_reset(user=marie)
    stored = reply(django_capture_on_commit_callbacks, before, "Moi aussi.")

    assert stored.status == "rejected" and stored.note.startswith("invalid reply token")
    assert not Post.objects.filter(body="Moi aussi.").exists()
    [explanation] = mail.outbox
    assert "when you reset your private links or leave the group" in explanation.body
    # The address of the emails sent since posts.
    fresh = reply_tokens.reply_address(thread, marie)
    assert fresh != before
    assert reply(django_capture_on_commit_callbacks, fresh, "Me voici.").status == "processed"


def test_a_reply_address_of_a_former_membership_is_refused(
    django_capture_on_commit_callbacks, group, marie, thread
):
    Group.objects.filter(pk=group.pk).update(join_policy=JoinPolicy.OPEN)
    before = reply_tokens.reply_address(thread, marie)
    leave(marie, group)
    group_join(group=Group.objects.get(pk=group.pk), user=marie, accept_rules=True)
    stored = reply(django_capture_on_commit_callbacks, before, "De retour.")
    assert stored.status == "rejected" and stored.note.startswith("invalid reply token")


def test_a_reply_address_of_the_former_kind_is_refused_with_its_own_explanation(
    django_capture_on_commit_callbacks, settings, group, marie, thread
):
    token = reply_tokens.make_token("reply", thread.pk, marie.pk)
    address = f"{group.slug}+{token}@{settings.GOINGSOLO_MAIL_DOMAIN}"
    stored = reply(django_capture_on_commit_callbacks, address, "Ancienne adresse.")
    assert stored.status == "rejected" and stored.note.startswith("former reply token")
    [explanation] = mail.outbox
    assert "sent before December 2026" in explanation.body


def test_an_unsubscribe_address_emailed_before_a_reset_unsubscribes_nobody(
    django_capture_on_commit_callbacks, group, marie
):
    address = reply_tokens.unsubscribe_address(group.slug, marie.pk, group.pk)
    private_links_reset(user=marie)
    message = plain_message(sender="marie@example.org", to=address, subject="unsubscribe")
    stored = receive(django_capture_on_commit_callbacks, message)
    assert (stored.status, stored.note) == ("rejected", "invalid unsubscribe token")


def test_a_confirmation_link_emailed_before_a_reset_is_refused(
    django_capture_on_commit_callbacks, group, marie
):
    message = plain_message(sender="marie@example.org", to=f"{group.slug}@127.0.0.1")
    stored = receive(django_capture_on_commit_callbacks, message, signed=False)
    assert stored.status == "awaiting"
    path = urlsplit(reply_tokens.confirmation_url(stored.pk, marie.pk)).path
    assert Client().get(path).status_code == 200
    private_links_reset(user=marie)
    with translation.override("en"):
        response = Client().get(path)
    assert response.status_code == 404
    assert "when you reset your private links" in response.content.decode()
    assert Client().post(path, {"action": "post"}).status_code == 404
    assert InboundMessage.objects.get(pk=stored.pk).status == "awaiting"

"""A group can hold new members' first posts for approval: a held post is seen by its
author and the moderators only, and nobody hears of it until a moderator approves it
(docs/moderation.md, "Held posts")."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goingsolo.accounts.models import Notification
from goingsolo.core.models import SearchDocument
from goingsolo.discussions import services
from goingsolo.discussions.models import Post, Thread, Via
from goingsolo.groups.models import Membership, Role
from goingsolo.mail.models import Delivery, OutboundEmail
from goingsolo.mail.outbound.services import subscription_set_delivery
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


class HoldingGroup:
    """A closed group that holds new members' posts: an owner, a moderator, a member of
    long standing (Lea, who reads every post by email) and Neil, who just joined."""

    def __init__(self, holds=True):
        self.group = GroupFactory(holds_new_members_posts=holds)
        self.owner = member_of(self.group, Role.OWNER)
        self.moderator = member_of(self.group, Role.MODERATOR)
        self.lea = member_of(self.group, display_name="Lea Long")
        Membership.objects.filter(group=self.group, user=self.lea).update(
            joined_at=timezone.now() - timedelta(days=60), accepted_contributions=20
        )
        subscription_set_delivery(user=self.lea, group=self.group, delivery=Delivery.EVERY)
        self.neil = member_of(self.group, display_name="Neil New")
        self.thread = services.thread_start(
            group=self.group, author=self.lea, title="Rates", body="How much?"
        ).post.thread

    def client(self, user):
        client = Client()
        client.force_login(user)
        return client

    def thread_page(self, user, thread=None):
        thread = thread or self.thread
        return self.client(user).get(
            reverse("discussions:thread", args=[self.group.slug, thread.pk])
        )


@pytest.fixture
def holding(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return HoldingGroup()


def heard_of(post):
    """Who heard of POST: notifications, emails, search."""
    return {
        "notified": Notification.objects.filter(key=f"post:{post.pk}").exists(),
        "emailed": OutboundEmail.objects.filter(post=post).exists(),
        "indexed": SearchDocument.objects.filter(kind="post", object_id=post.pk).exists(),
    }


def reply(holding, capture, *, by=None, body="My first words here", via=Via.WEB):
    with capture(execute=True):
        return services.post_reply(
            thread=holding.thread, author=by or holding.neil, body=body, via=via
        )


def test_a_new_members_reply_is_held_and_nobody_hears_of_it(
    holding, django_capture_on_commit_callbacks
):
    result = reply(holding, django_capture_on_commit_callbacks)
    assert result.held
    assert result.post.held_because == ["new_member"]
    assert heard_of(result.post) == {"notified": False, "emailed": False, "indexed": False}
    thread = Thread.objects.get(pk=holding.thread.pk)
    assert thread.post_count == 1


def test_a_held_reply_is_seen_by_its_author_with_a_notice_and_by_moderators_only(
    holding, django_capture_on_commit_callbacks
):
    reply(holding, django_capture_on_commit_callbacks)
    assert "My first words here" not in holding.thread_page(holding.lea).content.decode()
    mine = holding.thread_page(holding.neil).content.decode()
    assert "My first words here" in mine
    assert "others will see your post once a moderator approves it" in mine
    assert "My first words here" in holding.thread_page(holding.moderator).content.decode()


def test_a_held_thread_is_in_no_list_and_is_not_found_by_others(
    holding, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.thread_start(
            group=holding.group, author=holding.neil, title="Hello from Neil", body="Hi all"
        )
    thread = result.post.thread
    assert result.held and thread.is_held
    group_page = holding.client(holding.lea).get(
        reverse("groups:detail", args=[holding.group.slug])
    )
    assert "Rates" in group_page.content.decode()
    assert "Hello from Neil" not in group_page.content.decode()
    assert holding.thread_page(holding.lea, thread).status_code == 404
    assert holding.thread_page(holding.neil, thread).status_code == 200
    assert holding.thread_page(holding.moderator, thread).status_code == 200


def test_approving_a_held_post_shows_it_and_tells_everyone_as_a_new_post_would(
    holding, django_capture_on_commit_callbacks
):
    post = reply(holding, django_capture_on_commit_callbacks).post
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=post, by=holding.moderator)
    post.refresh_from_db()
    assert not post.is_held
    assert heard_of(post) == {"notified": True, "emailed": True, "indexed": True}
    assert Thread.objects.get(pk=holding.thread.pk).post_count == 2
    membership = Membership.objects.get(group=holding.group, user=holding.neil)
    assert (membership.accepted_contributions, membership.approvals) == (1, 1)
    assert "My first words here" in holding.thread_page(holding.lea).content.decode()


def test_only_moderators_approve(holding, django_capture_on_commit_callbacks):
    post = reply(holding, django_capture_on_commit_callbacks).post
    with pytest.raises(PermissionDenied):
        services.post_approve(post=post, by=holding.lea)
    assert Post.objects.get(pk=post.pk).is_held


def test_an_email_from_a_new_member_is_held_as_a_web_post_is(
    holding, django_capture_on_commit_callbacks
):
    result = reply(holding, django_capture_on_commit_callbacks, via=Via.EMAIL)
    assert result.held


def test_members_of_longer_standing_are_not_held(holding, django_capture_on_commit_callbacks):
    result = reply(holding, django_capture_on_commit_callbacks, by=holding.lea, body="Again")
    assert not result.held
    assert heard_of(result.post)["indexed"]


def test_a_group_holds_nothing_unless_it_says_so(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        holding = HoldingGroup(holds=False)
    assert not reply(holding, django_capture_on_commit_callbacks).held


def test_the_setting_is_in_the_groups_settings_form(holding):
    client = holding.client(holding.owner)
    url = reverse("groups:settings", args=[holding.group.slug])
    assert 'name="holds_new_members_posts"' in client.get(url).content.decode()

"""Flags, the review queue of a group and its decisions, the audit log (docs/moderation.md)."""

import email
import email.policy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post
from goingsolo.groups.models import Role
from goingsolo.mail.models import OutboundEmail
from goingsolo.moderation import services
from goingsolo.moderation.models import Flag, LogEntry
from goingsolo.wiki import services as wiki
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


class Group:
    """A group holding new members' posts: an admin, a moderator, two members."""

    def __init__(self):
        self.group = GroupFactory(holds_new_members_posts=True)
        self.admin = member_of(self.group, Role.ADMIN, language="fr")
        self.moderator = member_of(self.group, Role.MODERATOR)
        self.ann = member_of(self.group, language="fr", display_name="Ann Author")
        self.bob = member_of(self.group, display_name="Bob Reader")

    def client(self, user):
        client = Client()
        client.force_login(user)
        return client

    def url(self, name, *args):
        return reverse(f"moderation:{name}", args=[self.group.slug, *args])


@pytest.fixture
def world():
    return Group()


def a_post(world, author, body="Hello"):
    """A post that stands (the moderator approves it if it was held)."""
    post = discussions.thread_start(group=world.group, author=author, title="Rates", body=body).post
    if post.is_held:
        discussions.post_approve(post=post, by=world.moderator)
    return post


def test_a_member_flags_a_post_once_with_a_reason_and_a_note(world):
    post = a_post(world, world.ann)
    client = world.client(world.bob)
    url = world.url("flag", "post", post.pk)
    form = client.get(url).content.decode()
    assert 'name="reason"' in form and "Harassment" in form
    response = client.post(url, {"reason": "spam", "note": "Selling shoes"})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.reason, flag.note, flag.reporter) == ("spam", "Selling shoes", world.bob)
    again = client.post(url, {"reason": "other"})
    assert "You already flagged this" in again.content.decode()
    assert Flag.objects.count() == 1


@pytest.mark.parametrize("kind", ["profile"])
def test_a_profile_can_be_flagged(world, kind):
    services.flag_create(
        group=world.group, kind=kind, object_id=world.ann.pk, by=world.bob, reason="other"
    )
    assert Flag.objects.get().target_label == "Ann Author"


def test_a_moderator_of_another_group_gets_404_for_this_groups_objects(world):
    post = a_post(world, world.ann)
    flag = services.flag_create(
        group=world.group, kind="post", object_id=post.pk, by=world.bob, reason="spam"
    )
    other = GroupFactory()
    stranger = member_of(other, Role.OWNER)
    client = world.client(stranger)

    def url(name, *args):
        return reverse(f"moderation:{name}", args=[other.slug, *args])

    assert client.get(url("flag", "post", post.pk)).status_code == 404
    assert client.get(url("flag", "profile", world.ann.pk)).status_code == 404
    assert client.post(url("flag_decide", flag.pk, "dismiss")).status_code == 404
    assert client.post(url("post_decide", post.pk, "hide")).status_code == 404
    assert client.post(url("member_warn", world.ann.pk)).status_code == 404
    assert Flag.objects.get().status == Flag.Status.OPEN
    assert Post.objects.get(pk=post.pk).deleted_at is None


def test_a_secret_groups_queue_is_404_to_members_of_other_groups(world):
    secret = GroupFactory(visibility="secret")
    stranger = member_of(GroupFactory())
    response = world.client(stranger).get(reverse("moderation:queue", args=[secret.slug]))
    assert response.status_code == 404


def test_members_do_not_reach_the_queue(world):
    assert world.client(world.bob).get(world.url("queue")).status_code == 403


def test_a_moderator_cannot_act_on_an_admin(world):
    post = a_post(world, world.admin)
    with pytest.raises(PermissionDenied):
        services.post_hide(post=post, by=world.moderator, reason="No")
    with pytest.raises(PermissionDenied):
        services.member_warn(group=world.group, member=world.admin, by=world.moderator, reason="x")
    response = world.client(world.moderator).post(world.url("post_decide", post.pk, "hide"))
    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).deleted_at is None


def test_the_queue_holds_held_posts_and_flags_and_approving_logs_it(
    world, django_capture_on_commit_callbacks
):
    held = discussions.thread_start(
        group=world.group, author=world.ann, title="New here", body="Buy my course"
    ).post
    assert held.is_held
    client = world.client(world.moderator)
    page = client.get(world.url("queue")).content.decode()
    assert "Buy my course" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(world.url("post_decide", held.pk, "approve"))
    assert not Post.objects.get(pk=held.pk).is_held
    entry = LogEntry.objects.get()
    assert (entry.action, entry.moderator, entry.member) == ("approve", world.moderator, world.ann)
    assert "Approved" in client.get(world.url("log")).content.decode()


def test_hiding_a_flagged_post_closes_its_flags_logs_why_and_tells_the_author_in_french(
    world, django_capture_on_commit_callbacks
):
    post = a_post(world, world.ann)
    flag = services.flag_create(
        group=world.group, kind="post", object_id=post.pk, by=world.bob, reason="spam"
    )
    with django_capture_on_commit_callbacks(execute=True):
        world.client(world.moderator).post(
            world.url("flag_decide", flag.pk, "hide"), {"reason": "Publicité"}
        )
    assert Post.objects.get(pk=post.pk).deleted_at is not None
    assert Flag.objects.get().status == Flag.Status.ACTED_ON
    entry = LogEntry.objects.get(action="hide")
    assert entry.reason == "Publicité"
    raw = OutboundEmail.objects.get(recipient=world.ann).raw_message
    message = email.message_from_bytes(bytes(raw), policy=email.policy.default)
    assert "modération" in message["Subject"]
    assert "Publicité" in message.get_body(("plain",)).get_content()


def test_dismissing_a_flag_leaves_the_post(world):
    post = a_post(world, world.ann)
    flag = services.flag_create(
        group=world.group, kind="post", object_id=post.pk, by=world.bob, reason="off_topic"
    )
    services.flag_dismiss(flag=flag, by=world.moderator)
    assert Flag.objects.get().status == Flag.Status.DISMISSED
    assert Post.objects.get(pk=post.pk).deleted_at is None


def test_a_warning_needs_a_reason(world):
    with pytest.raises(ValidationError):
        services.member_warn(group=world.group, member=world.ann, by=world.moderator, reason=" ")


def test_the_review_tab_shows_to_moderators_only(world):
    group_url = reverse("groups:detail", args=[world.group.slug])
    assert world.url("queue") in world.client(world.moderator).get(group_url).content.decode()
    assert world.url("queue") not in world.client(world.bob).get(group_url).content.decode()


def _fill(world, count):
    for number in range(count):
        author = member_of(world.group)
        discussions.thread_start(
            group=world.group, author=author, title=f"Held {number}", body="Hi"
        )
        post = a_post(world, world.ann, body=f"Post {number}")
        services.flag_create(
            group=world.group, kind="post", object_id=post.pk, by=world.bob, reason="spam"
        )


# Held email adds two: its list and the count of messages waiting for their senders.
@pytest.mark.parametrize(("count", "queries"), [(1, 13), (3, 13)])
def test_the_queue_page_runs_a_fixed_number_of_queries(
    world, count, queries, django_assert_num_queries
):
    _fill(world, count)
    client = world.client(world.moderator)
    with django_assert_num_queries(queries):
        client.get(world.url("queue"))


def test_a_moderator_warns_a_member_who_is_emailed_and_it_is_logged(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.moderator).post(
            world.url("member_warn", world.ann.pk), {"reason": "Restez courtois·e"}
        )
    assert response.status_code == 302
    entry = LogEntry.objects.get(action="warn")
    assert (entry.member, entry.reason) == (world.ann, "Restez courtois·e")
    raw = OutboundEmail.objects.get(recipient=world.ann).raw_message
    message = email.message_from_bytes(bytes(raw), policy=email.policy.default)
    assert "avertissement" in message.get_body(("plain",)).get_content()


def test_a_flagged_profile_offers_a_warning_in_the_queue(world):
    services.flag_create(
        group=world.group, kind="profile", object_id=world.ann.pk, by=world.bob, reason="other"
    )
    page = world.client(world.moderator).get(world.url("queue")).content.decode()
    assert world.url("member_warn", world.ann.pk) in page


def test_a_held_wiki_edit_is_approved_from_the_one_queue_and_logged(world):
    page = wiki.page_create(group=world.group, author=world.ann, title="Tools", body="A list").page
    revision = page.revisions.get()
    assert revision.status == "pending"
    client = world.client(world.moderator)
    assert "Tools" in client.get(world.url("queue")).content.decode()
    client.post(world.url("revision_decide", revision.pk, "approve"))
    revision.refresh_from_db()
    assert revision.status == "approved"
    assert LogEntry.objects.get().action == "approve"

"""Delete my account: posts kept under "Former member" or deleted; seats, memberships,
addresses, avatar and sessions gone; a sole owner hands the group over first."""

import os

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from goingsolo.accounts.models import User
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post
from goingsolo.events import services as events
from goingsolo.events.models import Registration
from goingsolo.groups.models import Group, Invitation, Membership, Role
from tests.accounts.test_profile import image_bytes
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def group():
    return GroupFactory(slug="going-solo")


@pytest.fixture
def leaving(group, django_capture_on_commit_callbacks):
    """A member with an avatar, a thread with a reply by someone else, and the last seat of
    a full event someone waits for."""
    owner = member_of(group, Role.OWNER)
    me = member_of(group, display_name="Camille Martin", email="camille@example.org")
    Invitation.objects.create(group=group, email="camille@example.org", used_by=me)
    Invitation.objects.create(group=GroupFactory(), email="camille@example.org")
    me.avatar.save("me.png", ContentFile(image_bytes((64, 64))))
    with django_capture_on_commit_callbacks(execute=True):
        thread = discussions.thread_start(
            group=group, author=me, title="Rates", body="My day rate is 600."
        ).post.thread
        discussions.post_reply(thread=thread, author=owner, body="Mine is 700.")
        event = events.event_create(group=group, by=owner, **event_fields(capacity=1))
        events.registration_set(event=event, user=me, status="going")
        events.registration_set(
            event=event, user=member_of(group, email="next@example.org"), status="going"
        )
        events.calendar_feed_renew(user=me)
    mail.outbox.clear()
    return me


def delete(client, user, django_capture_on_commit_callbacks, posts):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("accounts:account_delete"), {"posts": posts, "password": PASSWORD}
        )


def assert_account_is_gone(user, *, avatar_path):
    user = User.objects.get(pk=user.pk)
    assert user.deleted_at is not None and not user.is_active
    assert not user.has_usable_password()
    assert "camille" not in user.email and user.display_name == ""
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not user.avatar and not os.path.exists(avatar_path)
    assert not Invitation.objects.filter(email__icontains="camille").exists()
    assert not hasattr(user, "event_calendar") or not user.event_calendar
    return user


def test_deleting_my_account_keeping_my_posts_signs_them_former_member(
    client, group, leaving, django_capture_on_commit_callbacks
):
    avatar_path = leaving.avatar.path
    other_session = client.__class__()
    other_session.force_login(leaving)
    client.force_login(leaving)

    response = delete(client, leaving, django_capture_on_commit_callbacks, "keep")

    assert response.status_code == 302
    assert_account_is_gone(leaving, avatar_path=avatar_path)
    post = Post.objects.get(author=leaving, position=1)
    assert post.body == "My day rate is 600."
    thread_page = client.get(post.thread.get_absolute_url())  # logged out: a closed group
    assert thread_page.status_code in (302, 404)
    reader = member_of(group)
    client.force_login(reader)
    page = client.get(post.thread.get_absolute_url()).text
    assert "Former member" in page and "Camille" not in page
    with translation.override("fr"):
        assert User.objects.get(pk=leaving.pk).name == "Ancien·ne membre"
    # Every session of the account ended, not only the one that deleted it.
    assert other_session.get(reverse("accounts:profile_edit")).status_code == 302
    # The seat went to the waiting list, who heard of it.
    [registration] = Registration.objects.filter(user=leaving)
    assert registration.status == "not_going"
    assert [message.to for message in mail.outbox] == [["next@example.org"]]


def test_deleting_my_account_with_my_posts_erases_their_text(
    client, group, leaving, django_capture_on_commit_callbacks
):
    avatar_path = leaving.avatar.path
    client.force_login(leaving)
    delete(client, leaving, django_capture_on_commit_callbacks, "delete")

    assert_account_is_gone(leaving, avatar_path=avatar_path)
    mine = Post.objects.get(author=leaving)
    assert mine.deleted_at is not None and mine.body == "" and mine.body_html == ""
    assert not mine.revisions.exists()
    assert Post.objects.get(body="Mine is 700.").deleted_at is None


def test_the_only_owner_must_hand_the_group_over_first(
    client, group, django_capture_on_commit_callbacks
):
    Membership.objects.filter(group=group).delete()
    owner = member_of(group, Role.OWNER, language="fr")
    client.force_login(owner)
    with translation.override("fr"):
        response = delete(client, owner, django_capture_on_commit_callbacks, "keep")
    assert response.status_code == 200
    assert "Vous êtes seul·e propriétaire de" in response.text
    assert group.name in response.text
    owner = User.objects.get(pk=owner.pk)
    assert owner.deleted_at is None and owner.is_active
    assert Membership.objects.filter(group=group, user=owner).exists()
    assert Group.objects.get(pk=group.pk).member_count == 1


def test_a_wrong_password_deletes_nothing(client, leaving, django_capture_on_commit_callbacks):
    client.force_login(leaving)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:account_delete"), {"posts": "delete", "password": "guess"}
        )
    assert response.status_code == 200
    assert "This is not your password." in response.text
    assert User.objects.get(pk=leaving.pk).deleted_at is None


def test_a_member_without_a_password_confirms_with_their_address(
    client, group, django_capture_on_commit_callbacks
):
    member = member_of(group, email="code@example.org")
    member.set_unusable_password()
    member.save()
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(
            reverse("accounts:account_delete"), {"posts": "keep", "email": "other@example.org"}
        )
        assert "This is not the address you sign in with." in refused.text
        client.post(
            reverse("accounts:account_delete"), {"posts": "keep", "email": "Code@example.org"}
        )
    assert User.objects.get(pk=member.pk).deleted_at is not None

"""List pages run a fixed number of queries, whatever the number of rows: the counts are
literals, at one row and at three, so a page that runs too many fails too."""

import pytest
from django.urls import reverse

from goingsolo.groups.models import Invitation, JoinRequest, Membership, Role
from tests.factories import GroupFactory, UserFactory, member_of
from tests.support import query_counts

pytestmark = pytest.mark.django_db


def test_home_and_group_list(client):
    viewer = UserFactory()
    client.force_login(viewer)

    def make():
        group = GroupFactory(visibility="public")
        Membership.objects.create(group=group, user=viewer)
        GroupFactory(visibility="closed")

    assert query_counts(client, reverse("home"), make) == (8, 8)
    assert query_counts(client, reverse("groups:list"), make) == (4, 4)


def test_member_list(client):
    group = GroupFactory()
    admin = member_of(group, Role.ADMIN)
    client.force_login(admin)
    url = reverse("groups:members", args=[group.slug])
    assert query_counts(client, url, lambda: member_of(group)) == (9, 9)


def test_member_list_with_filters(client):
    group = GroupFactory()
    client.force_login(member_of(group))
    url = reverse("groups:members", args=[group.slug]) + "?city=Lausanne&language=fr&skill=design"

    def make():
        return member_of(group, city="Lausanne", spoken_languages=["fr"], skills="design")

    assert query_counts(client, url, make) == (9, 9)


def test_request_list(client):
    group = GroupFactory(join_questions=["Why?"])
    client.force_login(member_of(group, Role.OWNER))

    def make():
        JoinRequest.objects.create(
            group=group, user=UserFactory(), answers=[{"question": "Why?", "answer": "Because"}]
        )

    assert query_counts(client, reverse("groups:requests", args=[group.slug]), make) == (7, 7)


def test_invitation_list(client):
    group = GroupFactory()
    client.force_login(member_of(group, Role.ADMIN))
    counter = iter(range(100))
    url = reverse("groups:invitations", args=[group.slug])

    def make():
        return Invitation.objects.create(group=group, email=f"guest{next(counter)}@example.org")

    assert query_counts(client, url, make) == (6, 6)

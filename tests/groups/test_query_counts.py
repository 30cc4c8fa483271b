"""List pages run a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goingsolo.groups.models import Invitation, JoinRequest, Membership, Role
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def grow(make, client, url, small=1, large=6):
    """The query counts for URL after making SMALL and then LARGE rows with MAKE."""
    for _ in range(small):
        make()
    few = count_queries(client, url)
    for _ in range(large - small):
        make()
    many = count_queries(client, url)
    return few, many


def test_home_and_group_list(client):
    viewer = UserFactory()
    client.force_login(viewer)

    def make():
        group = GroupFactory(visibility="public")
        Membership.objects.create(group=group, user=viewer)
        GroupFactory(visibility="closed")

    for url in (reverse("home"), reverse("groups:list")):
        few, many = grow(make, client, url)
        assert few == many, url


def test_member_list(client):
    group = GroupFactory()
    admin = member_of(group, Role.ADMIN)
    client.force_login(admin)
    few, many = grow(lambda: member_of(group), client, reverse("groups:members", args=[group.slug]))
    assert few == many


def test_member_list_with_filters(client):
    group = GroupFactory()
    client.force_login(member_of(group))
    url = reverse("groups:members", args=[group.slug]) + "?city=Lausanne&language=fr&skill=design"
    few, many = grow(
        lambda: member_of(group, city="Lausanne", spoken_languages=["fr"], skills="design"),
        client,
        url,
    )
    assert few == many


def test_request_list(client):
    group = GroupFactory(join_questions=["Why?"])
    client.force_login(member_of(group, Role.OWNER))

    def make():
        JoinRequest.objects.create(
            group=group, user=UserFactory(), answers=[{"question": "Why?", "answer": "Because"}]
        )

    few, many = grow(make, client, reverse("groups:requests", args=[group.slug]))
    assert few == many


def test_invitation_list(client):
    group = GroupFactory()
    client.force_login(member_of(group, Role.ADMIN))
    counter = iter(range(100))
    few, many = grow(
        lambda: Invitation.objects.create(group=group, email=f"guest{next(counter)}@example.org"),
        client,
        reverse("groups:invitations", args=[group.slug]),
    )
    assert few == many

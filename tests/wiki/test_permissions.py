"""The wiki follows the group's visibility; moderation is for moderators."""

import pytest
from django.urls import reverse

from goingsolo.groups.models import JoinRequest, Role
from goingsolo.wiki.forms import signed_start
from tests.factories import GroupFactory, UserFactory, member_of

from .conftest import edit, make_page, new_member, trusted_member

pytestmark = pytest.mark.django_db


def wiki_urls(group, page, revision_id):
    slug, page_slug = group.slug, page.slug
    return {
        "read": [
            reverse("wiki:pages", args=[slug]),
            reverse("wiki:changes", args=[slug]),
            page.get_absolute_url(),
            reverse("wiki:history", args=[slug, page_slug]),
            reverse("wiki:revision", args=[slug, page_slug, 1]),
            reverse("wiki:diff", args=[slug, page_slug]),
            reverse("wiki:links", args=[slug, page_slug]),
        ],
        "edit": [
            reverse("wiki:create", args=[slug]),
            reverse("wiki:edit", args=[slug, page_slug]),
            reverse("wiki:revert", args=[slug, page_slug, 1]),
        ],
        "moderate": [
            reverse("wiki:review", args=[slug]),
            reverse("wiki:member_revert", args=[slug, page.created_by_id]),
        ],
        "moderate_post": [
            reverse("wiki:lock", args=[slug, page_slug]),
            reverse("wiki:review_decide", args=[slug, revision_id, "approve"]),
            reverse("wiki:review_decide", args=[slug, revision_id, "reject"]),
        ],
    }


@pytest.fixture
def setup():
    def make(visibility):
        group = GroupFactory(visibility=visibility)
        author = trusted_member(group)
        page = make_page(group, author, body="Notes")
        held = edit(page, new_member(group), "Held").revision
        return group, page, held

    return make


@pytest.mark.parametrize("visibility", ["secret", "closed", "public"])
def test_who_reads_edits_and_moderates_each_kind_of_group(setup, client, visibility):
    group, page, held = setup(visibility)
    urls = wiki_urls(group, page, held.pk)
    all_get = urls["read"] + urls["edit"] + urls["moderate"]

    def not_member(url, *, refused):
        """A group the visitor may not find is 404; a public group's wiki they read."""
        if visibility == "secret":
            return 404
        return 200 if visibility == "public" and url in urls["read"] else refused

    # Anonymous visitors: refused means the login page.
    for url in all_get:
        assert client.get(url).status_code == not_member(url, refused=302), url

    # Logged in, not a member (and an applicant, who may find a secret group).
    outsider = UserFactory()
    JoinRequest.objects.create(group=group, user=UserFactory())
    client.force_login(outsider)
    for url in all_get:
        assert client.get(url).status_code == not_member(url, refused=403), url

    # Members read and edit, and may not moderate.
    client.force_login(member_of(group))
    for url in urls["read"] + urls["edit"]:
        assert client.get(url).status_code == 200, url
    for url in urls["moderate"]:
        assert client.get(url).status_code == 403, url
    for url in urls["moderate_post"]:
        assert client.post(url).status_code == 403, url
    held.refresh_from_db()
    assert held.status == "pending"

    # Moderators do all of it.
    client.force_login(member_of(group, Role.MODERATOR))
    for url in urls["moderate"]:
        assert client.get(url, follow=True).status_code == 200, url
    assert client.post(urls["moderate_post"][1]).status_code == 302
    held.refresh_from_db()
    assert held.status == "approved"


def test_outsiders_of_a_public_group_read_but_cannot_edit(client):
    group = GroupFactory(visibility="public")
    page = make_page(group, trusted_member(group), body="Public notes")
    client.force_login(UserFactory())
    assert "Public notes" in client.get(page.get_absolute_url()).content.decode()
    response = client.post(
        reverse("wiki:edit", args=[group.slug, page.slug]),
        {"body": "Outsider", "base_revision": page.current_revision_id, "started": signed_start(1)},
    )
    assert response.status_code == 403


def test_held_revisions_of_others_are_404_even_by_number(client):
    group = GroupFactory()
    page = make_page(group, trusted_member(group), body="Notes")
    edit(page, new_member(group), "Held")
    client.force_login(member_of(group))
    url = reverse("wiki:diff", args=[group.slug, page.slug]) + "?from=1&to=2"
    assert client.get(url).status_code == 404


def test_a_page_of_another_group_is_not_found_through_this_one(client):
    group, other = GroupFactory(), GroupFactory()
    page = make_page(other, trusted_member(other), body="Elsewhere")
    client.force_login(member_of(group))
    assert client.get(reverse("wiki:page", args=[group.slug, page.slug])).status_code == 404

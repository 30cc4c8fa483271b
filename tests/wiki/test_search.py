"""Wiki pages are found by the shared search, by title and content; held edits are not."""

import pytest
from django.urls import reverse

from goingsolo.core.search import search
from goingsolo.groups.models import Group
from goingsolo.groups.rules import content_visible_groups_q
from goingsolo.wiki import services
from tests.factories import GroupFactory, UserFactory

from .conftest import edit, make_page, moderator_of, new_member, trusted_member

pytestmark = pytest.mark.django_db


def found(query, user):
    visible = Group.objects.filter(content_visible_groups_q(user)).values("pk")
    return [(hit.kind, hit.title) for hit in search(query, group_ids=visible, kinds=["wiki_page"])]


def test_pages_are_found_by_title_and_by_content(group, django_capture_on_commit_callbacks):
    author = trusted_member(group)
    with django_capture_on_commit_callbacks(execute=True):
        make_page(
            group,
            author,
            title="Pricing your work",
            body="Charge a **deposit** before starting a project.",
        )
        make_page(
            group,
            author,
            title="Trouver ses premiers clients",
            body="Les anciens employeurs deviennent souvent les premiers mandants.",
        )
    assert found("pricing", author) == [("wiki_page", "Pricing your work")]
    assert found("deposit", author) == [("wiki_page", "Pricing your work")]
    assert found("employeur", author) == [("wiki_page", "Trouver ses premiers clients")]


def test_a_held_edit_is_not_found_until_approved(group, django_capture_on_commit_callbacks):
    author, newcomer, moderator = trusted_member(group), new_member(group), moderator_of(group)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(group, author, title="Coworking", body="Fridays at the library.")
        held = edit(page, newcomer, "Fridays at the library. Cheap viagra here.").revision
    assert found("viagra", author) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(revision=held, moderator=moderator)
    assert found("viagra", author) == [("wiki_page", "Coworking")]


def test_deleted_pages_leave_the_index(group, django_capture_on_commit_callbacks):
    vandal, moderator = trusted_member(group), moderator_of(group)
    with django_capture_on_commit_callbacks(execute=True):
        make_page(group, vandal, title="Spam page", body="Spammy words.")
    assert found("spammy", moderator)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_edits_revert(group=group, member=vandal, moderator=moderator)
    assert found("spammy", moderator) == []


def test_pages_of_a_closed_group_are_found_by_its_members_only(
    django_capture_on_commit_callbacks,
):
    closed = GroupFactory(visibility="closed")
    author = trusted_member(closed)
    with django_capture_on_commit_callbacks(execute=True):
        make_page(closed, author, title="Members only", body="Confidential rates.")
    assert found("confidential", author)
    assert found("confidential", UserFactory()) == []


def test_the_search_page_shows_wiki_pages(group, client, django_capture_on_commit_callbacks):
    author = trusted_member(group)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(group, author, title="Coworking in Leeds", body="Fridays, free tea.")
    client.force_login(author)
    html = client.get(reverse("groups:search") + "?q=tea").content.decode()
    assert "Coworking in Leeds" in html
    assert page.get_absolute_url() in html
    assert "Wiki page" in html

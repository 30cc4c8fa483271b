"""Saving pages: revisions, conflicts that lose nothing, links, limits and bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from goingsolo.accounts.models import Notification
from goingsolo.groups.models import Membership, NotificationLevel
from goingsolo.wiki import services
from goingsolo.wiki.models import Draft, PageLink, Revision, Watch
from tests.factories import GroupFactory, UserFactory

from .conftest import (
    edit,
    make_page,
    moderator_of,
    new_member,
    reload,
    saved_meanwhile,
    trusted_member,
)

pytestmark = pytest.mark.django_db

NOTES = "# Pricing your work\n\nDay rate or project rate?\n\nAsk for a deposit."


def test_a_trusted_member_creates_a_page_that_everyone_sees_at_once(group):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing your work", body=NOTES, summary="Notes")
    revision = page.current_revision
    assert (revision.number, revision.kind, revision.status) == (1, "create", "approved")
    assert (revision.author, revision.summary, revision.body) == (author, "Notes", NOTES)
    assert page.slug == "pricing-your-work"
    assert page.language == revision.language == "en"
    assert Watch.objects.filter(page=page, user=author).exists()
    membership = Membership.objects.get(group=group, user=author)
    assert membership.accepted_contributions == 1


def test_every_revision_is_kept_with_its_author_time_and_summary(group):
    alice, bob = trusted_member(group), trusted_member(group)
    page = make_page(group, alice, body="one")
    edit(page, bob, "one\ntwo", summary="Adds two")
    edit(page, alice, "one\ntwo\nthree", summary="Adds three")
    revisions = list(page.revisions.order_by("number"))
    assert [(r.number, r.author, r.summary) for r in revisions] == [
        (1, alice, ""),
        (2, bob, "Adds two"),
        (3, alice, "Adds three"),
    ]
    assert [r.parent_id for r in revisions] == [None, revisions[0].pk, revisions[1].pk]
    assert all(r.created_at <= timezone.now() for r in revisions)
    assert reload(page).current_revision == revisions[2]
    assert revisions[2].size_change == len("\nthree")


def test_a_french_page_is_detected_as_french(group):
    page = make_page(
        group,
        trusted_member(group),
        title="Trouver ses premiers clients",
        body="On a parlé du bouche-à-oreille et des anciens employeurs : c'est souvent "
        "là que les premiers mandats arrivent.",
    )
    assert page.language == "fr"


def test_line_endings_from_browsers_are_normalised(group):
    page = make_page(group, trusted_member(group), body="one\r\ntwo\r\n\r\n")
    assert page.current_revision.body == "one\ntwo"


def test_saving_the_same_text_again_is_refused(group):
    author = trusted_member(group)
    page = make_page(group, author, body="same")
    with pytest.raises(ValidationError, match="nothing to save"):
        edit(page, author, "same")


# --- Conflicts ---------------------------------------------------------------------------------


def test_a_save_from_an_old_revision_saves_nothing_and_keeps_the_text_as_a_draft(group):
    page, base, alice, bob = saved_meanwhile(
        group, "Intro\n\nMiddle\n\nEnd", "Intro, by Alice\n\nMiddle\n\nEnd"
    )
    result = services.page_edit(
        page=page, author=bob, body="Intro\n\nMiddle\n\nEnd, by Bob", base_revision_id=base.pk
    )
    assert result.revision is None
    conflict = result.conflict
    assert conflict.base == base and conflict.head.author == alice
    assert conflict.mine == "Intro\n\nMiddle\n\nEnd, by Bob"
    assert conflict.merge.is_clean
    assert conflict.merge.text() == "Intro, by Alice\n\nMiddle\n\nEnd, by Bob"
    assert page.revisions.count() == 2
    draft = Draft.objects.get(page=page, user=bob)
    assert (draft.body, draft.base_revision) == ("Intro\n\nMiddle\n\nEnd, by Bob", base)


def test_conflicting_edits_of_the_same_line_are_shown_with_markers(group):
    page, base, _, bob = saved_meanwhile(group, "Venue: the Round Foundry", "Venue: Leeds Met")
    result = services.page_edit(
        page=page, author=bob, body="Venue: Old Broadcasting House", base_revision_id=base.pk
    )
    assert not result.conflict.merge.is_clean
    text = result.conflict.merge.text(theirs_label="Alice", mine_label="Bob")
    assert "Venue: Leeds Met" in text and "Venue: Old Broadcasting House" in text


def test_the_merged_text_saves_on_top_of_the_new_revision_and_the_draft_goes(group):
    page, base, _, bob = saved_meanwhile(group, "a\nb\nc", "A\nb\nc")
    theirs = reload(page).current_revision
    result = services.page_edit(page=page, author=bob, body="a\nb\nC", base_revision_id=base.pk)
    merged = result.conflict.merge.text()
    saved = services.page_edit(page=page, author=bob, body=merged, base_revision_id=theirs.pk)
    assert saved.revision.body == "A\nb\nC"
    assert saved.revision.parent == theirs
    assert not Draft.objects.filter(page=page, user=bob).exists()


def test_text_with_conflict_markers_left_in_is_refused(group):
    author = trusted_member(group)
    page = make_page(group, author, body="x")
    with pytest.raises(ValidationError, match="conflict markers"):
        edit(page, author, "<<<<<<< theirs\na\n=======\nb\n>>>>>>> mine")


# --- Reverts and links ----------------------------------------------------------------------


def test_reverting_adds_a_revision_with_the_old_text(group):
    author = trusted_member(group)
    page = make_page(group, author, body="good text")
    first = page.current_revision
    edit(page, author, "vandalised")
    result = services.page_revert(page=reload(page), author=author, revision=first)
    assert result.revision.number == 3
    assert (result.revision.kind, result.revision.source) == ("revert", first)
    assert result.revision.body == "good text"
    assert "1" in result.revision.summary
    assert reload(page).current_revision == result.revision
    with pytest.raises(ValidationError, match="already the text"):
        services.page_revert(page=reload(page), author=author, revision=first)


def test_links_are_stored_for_what_links_here(group):
    author = trusted_member(group)
    make_page(group, author, title="Pricing your work", body="x")
    index = make_page(
        group, author, title="SoloCamp Leeds 2008", body="See [[pricing YOUR work]] and [[Later]]."
    )
    keys = set(PageLink.objects.filter(source=index).values_list("target_key", flat=True))
    assert keys == {"pricing your work", "later"}
    edit(index, author, "Only [[Later]] now. `[[Not a link]]`")
    keys = set(PageLink.objects.filter(source=index).values_list("target_key", flat=True))
    assert keys == {"later"}


# --- Bad input -----------------------------------------------------------------------------------


def test_an_empty_title_is_refused(group):
    with pytest.raises(ValidationError) as error:
        make_page(group, trusted_member(group), title="   ")
    assert "title" in error.value.message_dict


def test_a_title_that_differs_only_by_capitals_and_spaces_clashes(group):
    author = trusted_member(group)
    make_page(group, author, title="Pricing your work")
    with pytest.raises(ValidationError) as error:
        make_page(group, author, title="  pricing   YOUR work ")
    assert "already exists" in error.value.message_dict["title"][0]


def test_the_same_title_in_another_group_is_fine(group):
    other = GroupFactory()
    make_page(group, trusted_member(group), title="Home")
    assert make_page(other, trusted_member(other), title="Home").slug == "home"


def test_titles_that_make_the_same_address_get_distinct_ones(group):
    author = trusted_member(group)
    assert make_page(group, author, title="C").slug == "c"
    assert make_page(group, author, title="C++").slug == "c-2"
    assert make_page(group, author, title="日本").slug == "page"


def test_an_oversized_page_is_refused_with_the_limit(group, settings):
    settings.GOINGSOLO_WIKI_PAGE_MAX_CHARS = 1000
    with pytest.raises(ValidationError) as error:
        make_page(group, trusted_member(group), body="x" * 1001)
    assert "1,000" in error.value.message_dict["body"][0]
    assert "1,001" in error.value.message_dict["body"][0]


def test_a_locked_page_is_edited_by_moderators_only(group):
    moderator, member = moderator_of(group), trusted_member(group)
    page = make_page(group, member, body="x")
    services.page_lock(page=page, moderator=moderator, locked=True)
    with pytest.raises(ValidationError, match="locked"):
        edit(page, member, "y")
    assert edit(page, moderator, "z").revision.body == "z"
    with pytest.raises(PermissionDenied):
        services.page_lock(page=page, moderator=member, locked=False)


def test_people_outside_the_group_cannot_edit(group):
    page = make_page(group, trusted_member(group), body="x")
    with pytest.raises(PermissionDenied):
        services.page_edit(
            page=page, author=UserFactory(), body="y", base_revision_id=page.current_revision_id
        )


# --- Limits for new members ------------------------------------------------------------------


def test_new_members_add_at_most_two_external_links_per_edit(group):
    newcomer = new_member(group)
    page = make_page(group, trusted_member(group), body="See https://example.org/a")
    with pytest.raises(ValidationError, match="at most 2 external links"):
        edit(page, newcomer, "See https://example.org/a https://b.example https://c.example "
             "[d](https://d.example)")  # fmt: skip
    # Links already on the page do not count.
    assert edit(page, newcomer, "See https://example.org/a https://b.example https://c.example")


def test_trusted_members_add_as_many_links_as_they_like(group):
    author = trusted_member(group)
    body = " ".join(f"https://site{n}.example" for n in range(10))
    assert make_page(group, author, body=body).current_revision


def test_new_members_save_at_most_ten_edits_an_hour(group):
    newcomer = new_member(group)
    page = make_page(group, trusted_member(group), body="0")
    for n in range(1, 11):
        edit(page, newcomer, str(n))
    with pytest.raises(ValidationError, match="at most 10 edits an hour"):
        edit(page, newcomer, "11")
    Revision.objects.filter(author=newcomer).update(
        created_at=timezone.now() - timedelta(minutes=61)
    )
    assert edit(page, newcomer, "11").revision


# --- Watching -------------------------------------------------------------------------------------


def test_watchers_hear_of_published_changes_by_their_notification_level(
    group, django_capture_on_commit_callbacks
):
    author, watcher, silent = trusted_member(group), trusted_member(group), trusted_member(group)
    page = make_page(group, author, body="x")
    for user in (watcher, silent):
        services.page_watch(page=page, user=user, watching=True)
    Membership.objects.filter(user=silent).update(notification_level=NotificationLevel.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, author, "y", summary="Fixed the date")
    [notification] = Notification.objects.all()
    assert notification.recipient == watcher
    assert (notification.kind, notification.title) == ("other", page.title)
    assert notification.excerpt == "Fixed the date"
    assert notification.url == page.get_absolute_url()
    # A second change by someone else updates the same unread notification.
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, silent, "z")
    notification.refresh_from_db()
    assert Notification.objects.filter(recipient=watcher).count() == 1
    assert notification.actor_names == [silent.name, author.name]
    # The author watches the pages they write, and hears of the change too.
    assert Notification.objects.filter(recipient=author).count() == 1


def test_held_edits_notify_nobody_until_approved(group, django_capture_on_commit_callbacks):
    author, watcher, newcomer = trusted_member(group), trusted_member(group), new_member(group)
    moderator = moderator_of(group)
    page = make_page(group, author, body="x")
    services.page_watch(page=page, user=watcher, watching=True)
    with django_capture_on_commit_callbacks(execute=True):
        held = edit(page, newcomer, "spam?").revision
    assert not Notification.objects.filter(recipient=watcher).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(revision=held, moderator=moderator)
    assert Notification.objects.filter(recipient=watcher).count() == 1


def test_nul_characters_are_dropped_from_what_is_stored(group):
    page = make_page(group, trusted_member(group), title="Nul\x00 title", body="a\x00b")
    assert (page.title, page.current_revision.body) == ("Nul title", "ab")

"""Renaming a page: a revision in its history, former addresses and [[links]] that keep
working after any number of renames, former titles that can be taken over on purpose,
and bad input that changes nothing."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from goingsolo.accounts.models import Notification
from goingsolo.core.search import search
from goingsolo.wiki import services
from goingsolo.wiki.forms import signed_start
from goingsolo.wiki.models import Page, Redirect, Revision, Watch
from tests.factories import UserFactory

from .conftest import edit, make_page, moderator_of, new_member, reload, trusted_member

pytestmark = pytest.mark.django_db


def rename(page, user, title, **kwargs):
    return services.page_rename(page=reload(page), user=user, title=title, **kwargs)


def rename_url(page):
    return reverse("wiki:rename", args=[page.group.slug, page.slug])


def body_of(response):
    return response.content.decode()


# --- The rename and its history ------------------------------------------------------------------


def test_a_trusted_member_renames_a_page_and_the_history_says_who_when_and_why(group):
    author, renamer = trusted_member(group), trusted_member(group, display_name="Bob")
    page = make_page(group, author, title="Pricing", body="Day rate or project rate?")
    revision = rename(page, renamer, "Pricing your work", reason="Clearer for newcomers")

    page = reload(page)
    assert (page.title, page.key, page.slug) == (
        "Pricing your work",
        "pricing your work",
        "pricing-your-work",
    )
    assert page.current_revision == revision
    assert (revision.kind, revision.number, revision.author, revision.summary) == (
        "rename",
        2,
        renamer,
        "Clearer for newcomers",
    )
    assert (revision.renamed_from, revision.renamed_to) == ("Pricing", "Pricing your work")
    # The text does not change: a rename is not an edit.
    assert revision.body == "Day rate or project rate?" and revision.size_change == 0
    assert revision.is_approved and revision.published_at is not None
    [redirect] = Redirect.objects.filter(page=page)
    assert (redirect.title, redirect.key, redirect.slug, redirect.revision) == (
        "Pricing",
        "pricing",
        "pricing",
        revision,
    )
    # Like an edit, renaming a page makes the renamer watch it.
    assert Watch.objects.filter(page=page, user=renamer).exists()


def test_history_and_recent_changes_show_the_rename(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    rename(page, author, "Pricing your work", reason="Clearer")
    client.force_login(author)
    page = reload(page)
    for url in (
        reverse("wiki:history", args=[group.slug, page.slug]),
        reverse("wiki:changes", args=[group.slug]),
    ):
        html = body_of(client.get(url))
        assert "renamed “Pricing” to “Pricing your work”" in html, url
        assert "Clearer" in html
    revision = page.current_revision
    assert "renamed “Pricing” to “Pricing your work”" in body_of(
        client.get(revision.get_absolute_url())
    )


def test_watchers_hear_of_a_rename_in_the_app(group, django_capture_on_commit_callbacks):
    author, watcher = trusted_member(group), trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    services.page_watch(page=page, user=watcher, watching=True)
    with django_capture_on_commit_callbacks(execute=True):
        rename(page, author, "Pricing your work", reason="Clearer")
    [notification] = Notification.objects.filter(recipient=watcher)
    assert notification.title == "Pricing your work"
    assert notification.excerpt == "Pricing → Pricing your work · Clearer"
    assert notification.url == "/g/going-solo/wiki/p/pricing-your-work/"


def test_search_finds_the_page_by_its_new_title(group, django_capture_on_commit_callbacks):
    author = trusted_member(group)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page(group, author, title="Coworking", body="Fridays at the library.")
    with django_capture_on_commit_callbacks(execute=True):
        rename(page, author, "Shared desks in Leeds")
    hits = search("desks", group_ids=[group.pk], kinds=["wiki_page"])
    assert [(hit.title, hit.url) for hit in hits] == [
        ("Shared desks in Leeds", "/g/going-solo/wiki/p/shared-desks-in-leeds/")
    ]
    assert list(search("coworking", group_ids=[group.pk], kinds=["wiki_page"])) == []


# --- Former addresses ----------------------------------------------------------------------------


def test_the_former_address_redirects_to_the_page_with_a_302(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    rename(page, author, "Pricing your work")
    client.force_login(author)

    response = client.get("/g/going-solo/wiki/p/pricing/")
    assert response.status_code == 302
    assert response["Location"] == "/g/going-solo/wiki/p/pricing-your-work/"
    # Every view of the page follows, with the rest of the address and the query string.
    response = client.get("/g/going-solo/wiki/p/pricing/diff/?from=1&to=2")
    assert response["Location"] == "/g/going-solo/wiki/p/pricing-your-work/diff/?from=1&to=2"
    response = client.get("/g/going-solo/wiki/p/pricing/r/1/")
    assert response["Location"] == "/g/going-solo/wiki/p/pricing-your-work/r/1/"
    # The page names its one address for search engines.
    html = body_of(client.get("/g/going-solo/wiki/p/pricing/", follow=True))
    canonical = f"{settings.SITE_URL}/g/going-solo/wiki/p/pricing-your-work/"
    assert f'<link rel="canonical" href="{canonical}">' in html


def test_an_edit_sent_from_a_tab_opened_before_the_rename_is_saved(group, client):
    author, editor = trusted_member(group), trusted_member(group)
    page = make_page(group, author, title="Pricing", body="one")
    base = page.current_revision_id
    rename(page, author, "Pricing your work")
    client.force_login(editor)
    # The form still posts to the former address: a 307 keeps the text and the method.
    response = client.post(
        "/g/going-solo/wiki/p/pricing/edit/",
        {"body": "one\ntwo", "base_revision": base, "started": signed_start(at=1.0)},
    )
    assert response.status_code == 307
    assert response["Location"] == "/g/going-solo/wiki/p/pricing-your-work/edit/"
    response = client.post(
        "/g/going-solo/wiki/p/pricing/edit/",
        {"body": "one\ntwo", "base_revision": base, "started": signed_start(at=1.0)},
        follow=True,
    )
    assert response.status_code == 200
    # Written from revision 1 and saved after the rename (revision 2), which kept the
    # text: no conflict, the edit is revision 3.
    current = reload(page).current_revision
    assert (current.number, current.author, current.body) == (3, editor, "one\ntwo")


def test_after_several_renames_every_former_address_leads_straight_to_the_page(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Alpha", body="x")
    rename(page, author, "Beta")
    rename(page, author, "Gamma")
    client.force_login(author)
    for old in ("alpha", "beta"):
        response = client.get(f"/g/going-solo/wiki/p/{old}/")
        # One hop, to the current address: no chain to follow.
        assert response["Location"] == "/g/going-solo/wiki/p/gamma/", old

    # Back to the first title: the page takes its address back, the others lead to it,
    # and no address redirects to itself.
    rename(page, author, "Alpha")
    assert reload(page).slug == "alpha"
    assert client.get("/g/going-solo/wiki/p/alpha/").status_code == 200
    for old in ("beta", "gamma"):
        assert client.get(f"/g/going-solo/wiki/p/{old}/")["Location"] == (
            "/g/going-solo/wiki/p/alpha/"
        )
    assert sorted(Redirect.objects.values_list("key", "slug")) == [
        ("beta", "beta"),
        ("gamma", "gamma"),
    ]
    assert [r.kind for r in reload(page).revisions.order_by("number")] == [
        "create",
        "rename",
        "rename",
        "rename",
    ]


def test_a_change_of_capitals_keeps_the_address_and_makes_no_redirect(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="pricing your work", body="x")
    rename(page, author, "Pricing your work")
    page = reload(page)
    assert (page.title, page.slug) == ("Pricing your work", "pricing-your-work")
    assert not Redirect.objects.exists()
    # A new title with the same address ("Café" and "Cafe") keeps the address too, and
    # [[links]] to the former title still work.
    cafe = make_page(group, author, title="Café", body="x")
    rename(cafe, author, "Cafe")
    assert reload(cafe).slug == "cafe"
    assert list(Redirect.objects.values_list("key", "slug")) == [("café", None)]


def test_a_former_address_of_a_closed_group_is_no_clue_to_outsiders(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    rename(page, author, "Secret rates")
    client.force_login(UserFactory())
    assert client.get("/g/going-solo/wiki/p/pricing/").status_code == 403
    client.logout()
    response = client.get("/g/going-solo/wiki/p/pricing/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- [[Links]] to a former title ---------------------------------------------------------------


def test_links_to_a_former_title_still_reach_the_page_and_show_in_what_links_here(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    index = make_page(group, author, title="Index", body="See [[Pricing]] and [[pricing|rates]].")
    rename(page, author, "Pricing your work", reason="Clearer")
    client.force_login(author)

    html = body_of(client.get(index.get_absolute_url()))
    # Resolved when shown, not rewritten: the text still says [[Pricing]].
    assert html.count('href="/g/going-solo/wiki/p/pricing-your-work/"') == 2
    assert "wikilink-missing" not in html
    assert reload(index).current_revision.body == "See [[Pricing]] and [[pricing|rates]]."

    page = reload(page)
    html = body_of(client.get(reverse("wiki:links", args=[group.slug, page.slug])))
    assert ">Index</a>" in html
    assert "(by its former title “Pricing”)" in html
    assert "Former titles" in html and "“Pricing”" in html and "Clearer" in html


# --- Former titles taken over --------------------------------------------------------------------


def test_a_new_page_takes_a_former_title_only_when_asked(group):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    rename(page, author, "Pricing your work")

    with pytest.raises(ValidationError) as refused:
        make_page(group, author, title="pricing", body="A new page about pricing.")
    [error] = refused.value.error_dict["title"]
    assert error.code == "former_title"
    assert error.message.startswith("“Pricing” is a former title of the page “Pricing your work”")
    assert list(Page.objects.values_list("title", flat=True)) == ["Pricing your work"]
    assert Redirect.objects.filter(key="pricing").exists()


def test_taking_over_a_former_title_moves_its_links_and_address_to_the_new_page(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    index = make_page(group, author, title="Index", body="[[Pricing]]")
    rename(page, author, "Pricing your work")
    new = make_page(
        group, author, title="Pricing", body="Another page.", take_over_former_title=True
    )

    assert new.slug == "pricing"
    assert not Redirect.objects.exists()
    client.force_login(author)
    assert client.get("/g/going-solo/wiki/p/pricing/").status_code == 200
    assert 'href="/g/going-solo/wiki/p/pricing/"' in body_of(client.get(index.get_absolute_url()))


def test_the_new_page_form_offers_to_take_over_a_former_title_and_keeps_the_text(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    rename(page, author, "Pricing your work")
    client.force_login(author)
    url = reverse("wiki:create", args=[group.slug])
    data = {"title": "Pricing", "body": "My own text.", "started": signed_start(at=1.0)}

    response = client.post(url, data)
    html = body_of(response)
    assert response.status_code == 200
    assert "is a former title of the page “Pricing your work”" in html
    assert 'name="take_over_former_title"' in html
    assert "My own text." in html
    assert Page.objects.count() == 1

    response = client.post(url, {**data, "take_over_former_title": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/g/going-solo/wiki/p/pricing/"


def test_renaming_to_another_pages_former_title_asks_too(group):
    author = trusted_member(group)
    first = make_page(group, author, title="Alpha", body="x")
    second = make_page(group, author, title="Other", body="y")
    rename(first, author, "Beta")
    with pytest.raises(ValidationError) as refused:
        rename(second, author, "Alpha")
    assert refused.value.error_dict["title"][0].code == "former_title"
    assert reload(second).title == "Other"
    rename(second, author, "Alpha", take_over_former_title=True)
    assert (reload(second).title, reload(second).slug) == ("Alpha", "alpha")
    assert list(Redirect.objects.values_list("page_id", "key")) == [(second.pk, "other")]


# --- Bad input and permissions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("   ", "Give the page a title."),
        ("Pricing", "This is already the title of the page."),
        ("Coworking", "Another page of this group already has this title"),
        ("  COWORKING ", "Another page of this group already has this title"),
        ("x" * 151, "A title has at most 150 characters; this one has 151."),
        ("[[Pricing]]", "A title cannot contain [, ] or |."),
    ],
)
def test_a_bad_title_is_refused_with_a_clear_message_and_changes_nothing(group, title, message):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    make_page(group, author, title="Coworking", body="y")
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        rename(page, author, title)
    page = reload(page)
    assert (page.title, page.slug, page.last_number) == ("Pricing", "pricing", 1)
    assert not Redirect.objects.exists()


def test_the_rename_form_shows_errors_and_keeps_what_was_typed(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    make_page(group, author, title="Coworking", body="y")
    client.force_login(author)
    response = client.post(rename_url(page), {"title": "coworking", "reason": "My reason"})
    html = body_of(response)
    assert response.status_code == 200
    assert "Another page of this group already has this title" in html
    assert 'value="coworking"' in html and 'value="My reason"' in html
    assert reload(page).title == "Pricing"

    response = client.post(rename_url(page), {"title": "Pricing your work", "reason": "Clearer"})
    assert response.status_code == 302
    assert response["Location"] == "/g/going-solo/wiki/p/pricing-your-work/"


def test_a_member_whose_edits_wait_for_review_is_told_who_may_rename(group, client):
    author, newcomer = trusted_member(group), new_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    with pytest.raises(ValidationError, match="for the members the group trusts"):
        rename(page, newcomer, "Spam")
    assert reload(page).title == "Pricing"

    client.force_login(newcomer)
    assert rename_url(page) not in body_of(client.get(page.get_absolute_url()))
    html = body_of(client.get(rename_url(page)))
    assert "A member is trusted after 30 days and 10 accepted contributions" in html
    assert 'name="title"' not in html
    # A rename sent anyway is refused, what was typed kept.
    html = body_of(client.post(rename_url(page), {"title": "Spam", "reason": "Because"}))
    assert "ask a moderator to rename the page" in html and 'value="Spam"' in html
    assert reload(page).title == "Pricing"


def test_a_locked_page_is_renamed_by_moderators_only(group, client):
    author, moderator = trusted_member(group), moderator_of(group)
    page = make_page(group, author, title="Pricing", body="x")
    services.page_lock(page=page, moderator=moderator, locked=True)
    with pytest.raises(ValidationError, match="only moderators can rename it now"):
        rename(page, author, "Pricing your work")
    client.force_login(author)
    assert "only moderators can rename it now" in body_of(client.get(rename_url(page)))
    rename(page, moderator, "Pricing your work")
    assert reload(page).title == "Pricing your work"


def test_outsiders_cannot_rename(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Pricing", body="x")
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        rename(page, outsider, "Mine now")
    client.force_login(outsider)
    assert client.post(rename_url(page), {"title": "Mine now"}).status_code == 403
    assert reload(page).title == "Pricing"


def test_a_page_waiting_for_its_first_review_is_not_renamed(group):
    newcomer, moderator = new_member(group), moderator_of(group)
    page = make_page(group, newcomer, title="Held page", body="x")
    with pytest.raises(ValidationError, match="waiting for its first review"):
        rename(page, moderator, "Published title")
    assert reload(page).title == "Held page"


def test_a_held_edit_written_before_a_rename_is_merged_on_approval(group):
    author, newcomer, moderator = trusted_member(group), new_member(group), moderator_of(group)
    page = make_page(group, author, title="Pricing", body="one")
    held = edit(page, newcomer, "one\ntwo").revision
    rename(page, author, "Pricing your work")
    published = services.revision_approve(revision=held, moderator=moderator)
    page = reload(page)
    assert page.title == "Pricing your work"
    assert page.current_revision == published
    assert (published.kind, published.body) == (Revision.Kind.MERGE, "one\ntwo")

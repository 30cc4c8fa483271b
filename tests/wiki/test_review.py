"""Edits by members the group does not trust yet wait for review; others never see them
until a moderator approves. Moderators approve, reject and revert a member's edits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from goingsolo.groups.models import Membership
from goingsolo.wiki import services
from goingsolo.wiki.forms import signed_start
from goingsolo.wiki.models import Page, Revision

from .conftest import (
    edit,
    held_edit,
    make_page,
    moderator_of,
    new_member,
    reload,
    trusted_member,
)

pytestmark = pytest.mark.django_db


def page_text(client, page):
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_members_edit_waits_and_others_see_the_last_approved_text(group, client):
    author, newcomer, reader = trusted_member(group), new_member(group), trusted_member(group)
    page = make_page(group, author, body="The approved notes.")
    result = edit(page, newcomer, "BUY CHEAP PILLS")
    assert result.is_held and result.held_because == ["untrusted"]
    assert result.revision.status == "pending"
    assert reload(page).current_revision.body == "The approved notes."

    client.force_login(reader)
    html = page_text(client, page)
    assert "The approved notes." in html and "CHEAP PILLS" not in html
    assert (
        "CHEAP PILLS" not in client.get(reverse("wiki:changes", args=[group.slug])).content.decode()
    )
    history = client.get(reverse("wiki:history", args=[group.slug, page.slug])).content.decode()
    assert f"#{result.revision.number}" not in history
    revision_url = reverse("wiki:revision", args=[group.slug, page.slug, result.revision.number])
    assert client.get(revision_url).status_code == 404

    client.force_login(newcomer)
    html = page_text(client, page)
    assert "CHEAP PILLS" in html
    assert "waiting for a moderator" in html


def test_approval_publishes_the_edit_and_builds_the_authors_trust(group, client):
    page, held, _, moderator = held_edit(group, "Old", "New")
    published = services.revision_approve(revision=held, moderator=moderator)
    assert published == held
    held.refresh_from_db()
    assert (held.status, held.reviewed_by) == ("approved", moderator)
    assert reload(page).current_revision == held
    membership = Membership.objects.get(group=group, user=held.author)
    assert (membership.approvals, membership.accepted_contributions) == (1, 1)
    with pytest.raises(ValidationError, match="already reviewed"):
        services.revision_approve(revision=held, moderator=moderator)


def test_a_new_members_further_edits_build_on_their_own_held_edit(group):
    author, newcomer, moderator = trusted_member(group), new_member(group), moderator_of(group)
    page = make_page(group, author, body="one")
    first = edit(page, newcomer, "one\ntwo").revision
    second = edit(page, newcomer, "one\ntwo\nthree").revision
    assert second.parent == first
    services.revision_approve(revision=second, moderator=moderator)
    first.refresh_from_db()
    assert first.status == "approved"
    assert reload(page).current_revision.body == "one\ntwo\nthree"


def test_a_held_edit_approved_after_the_page_changed_is_merged_in(group):
    page, held, author, moderator = held_edit(
        group, "top\nmiddle\nbottom", "top\nmiddle\nbottom, with a fix"
    )
    edit(page, author, "TOP\nmiddle\nbottom")
    published = services.revision_approve(revision=held, moderator=moderator)
    assert (published.kind, published.source, published.author) == ("merge", held, held.author)
    assert reload(page).current_revision.body == "TOP\nmiddle\nbottom, with a fix"


def test_a_held_edit_that_conflicts_with_later_changes_is_not_approved_blindly(group):
    page, held, author, moderator = held_edit(group, "Venue: TBC", "Venue: the pub")
    edit(page, author, "Venue: the Round Foundry")
    with pytest.raises(ValidationError, match="conflicts"):
        services.revision_approve(revision=held, moderator=moderator)
    held.refresh_from_db()
    assert held.status == "pending"
    assert reload(page).current_revision.body == "Venue: the Round Foundry"


def test_rejecting_an_edit_rejects_the_held_edits_built_on_it(group):
    author, newcomer, moderator = trusted_member(group), new_member(group), moderator_of(group)
    page = make_page(group, author, body="one")
    first = edit(page, newcomer, "spam 1").revision
    second = edit(page, newcomer, "spam 2").revision
    assert services.revision_reject(revision=first, moderator=moderator) == 2
    assert set(page.revisions.filter(status="rejected")) == {first, second}
    assert reload(page).current_revision.body == "one"


def test_a_new_page_by_a_new_member_is_invisible_to_others_until_approved(group, client):
    newcomer, reader, moderator = new_member(group), trusted_member(group), moderator_of(group)
    page = make_page(group, newcomer, title="Cheap watches", body="spam")
    assert page.current_revision is None
    client.force_login(reader)
    assert client.get(page.get_absolute_url()).status_code == 404
    assert (
        "Cheap watches" not in client.get(reverse("wiki:pages", args=[group.slug])).content.decode()
    )
    client.force_login(newcomer)
    assert "spam" in page_text(client, page)
    client.force_login(moderator)
    queue = client.get(reverse("wiki:review", args=[group.slug]), follow=True)
    assert "Cheap watches" in queue.content.decode()
    services.revision_reject(revision=page.revisions.get(), moderator=moderator)
    assert not Page.objects.filter(pk=page.pk).exists()


def test_spam_signals_hold_even_a_trusted_members_edit(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="Original")
    client.force_login(author)
    url = reverse("wiki:edit", args=[group.slug, page.slug])
    data = {"body": "Sent at once", "base_revision": page.current_revision_id}
    # Too fast: the form was shown a moment ago.
    response = client.post(url, {**data, "started": signed_start()})
    assert response.status_code == 302
    revision = page.revisions.get(number=2)
    assert (revision.status, revision.held_because) == ("pending", ["too_fast"])
    # The honeypot filled in, the form shown a minute ago: held as well.
    Revision.objects.filter(pk=revision.pk).update(status="rejected")
    data = {**data, "body": "With the honeypot", "started": signed_start(at=0), "website": "x"}
    client.post(url, data)
    assert page.revisions.get(number=3).held_because == ["honeypot"]
    # A missing or forged timestamp.
    Revision.objects.filter(number=3, page=page).update(status="rejected")
    client.post(url, {**data, "body": "No time", "website": "", "started": "forged"})
    assert page.revisions.get(number=4).held_because == ["timestamp"]
    assert reload(page).current_revision.body == "Original"


def test_a_plain_edit_by_a_trusted_member_is_published(group, client):
    author = trusted_member(group)
    page = make_page(group, author, body="Original")
    client.force_login(author)
    client.post(
        reverse("wiki:edit", args=[group.slug, page.slug]),
        {
            "body": "Edited with care",
            "base_revision": page.current_revision_id,
            "started": signed_start(at=1),
        },
    )
    assert reload(page).current_revision.body == "Edited with care"


# --- Mass revert -------------------------------------------------------------------------------


def test_revert_all_edits_of_a_member_in_one_action(group):
    alice, vandal, bob = trusted_member(group), trusted_member(group), trusted_member(group)
    moderator = moderator_of(group)
    # Their latest revisions are the vandal's: back to Alice's text.
    a = make_page(group, alice, title="A", body="Alice's A")
    edit(a, vandal, "vandal 1")
    edit(a, vandal, "vandal 2")
    # Bob edited after the vandal: left alone.
    b = make_page(group, alice, title="B", body="Alice's B")
    edit(b, vandal, "vandal B")
    edit(b, bob, "Bob fixed B")
    # Only the vandal wrote it: deleted.
    c = make_page(group, vandal, title="C", body="vandal's own page")
    # A held edit: rejected.
    d = make_page(group, alice, title="D", body="Alice's D")
    Membership.objects.filter(user=vandal).update(approvals=0)
    held = edit(d, vandal, "held vandalism").revision

    plan = services.member_edits_plan(group=group, member=vandal)
    assert [(page.title, revision.body) for page, revision in plan.revert] == [("A", "Alice's A")]
    assert [page.title for page in plan.delete] == ["C"]
    assert plan.pending == 1

    services.member_edits_revert(group=group, member=vandal, moderator=moderator)
    a = reload(a)
    assert a.current_revision.body == "Alice's A"
    assert (a.current_revision.kind, a.current_revision.author) == ("revert", moderator)
    assert a.revisions.count() == 4  # the history keeps the vandal's revisions
    assert reload(b).current_revision.body == "Bob fixed B"
    assert not Page.objects.filter(pk=c.pk).exists()
    held.refresh_from_db()
    assert held.status == "rejected"
    assert reload(d).current_revision.body == "Alice's D"


def test_members_cannot_approve_reject_or_mass_revert(group):
    author, newcomer = trusted_member(group), new_member(group)
    page = make_page(group, author, body="x")
    held = edit(page, newcomer, "y").revision
    with pytest.raises(PermissionDenied):
        services.revision_approve(revision=held, moderator=author)
    with pytest.raises(PermissionDenied):
        services.revision_reject(revision=held, moderator=author)
    with pytest.raises(PermissionDenied):
        services.member_edits_revert(group=group, member=newcomer, moderator=author)

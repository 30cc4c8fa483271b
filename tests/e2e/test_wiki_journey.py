"""Two members edit the same wiki page at once, in two browsers: the second to save sees
both versions and the merged text, saves it, and nothing either of them wrote is lost."""

import re

import pytest
from playwright.sync_api import expect

from goingsolo.groups.models import Membership, Role
from goingsolo.wiki import services
from tests.factories import GroupFactory, member_of
from tests.support import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = """# Pricing your work

Session led by Oliver, SoloCamp Leeds 2008, room 2.

## Day rate or project rate?

- A day rate is easy to explain and punishes you for working fast.
- A project rate rewards experience, if the scope is written down.

## Deposits

Ask for 30 % before starting. Nobody in the room regretted it.

## Know your floor

Add up a year of costs and divide by the days you can really bill.

See also [[Finding your first clients]]."""


def trusted(group, **fields):
    user = member_of(group, **fields)
    Membership.objects.filter(group=group, user=user).update(approvals=3)
    return user


def test_two_members_edit_the_same_page_and_the_second_merges_without_loss(
    live_server, new_page, screenshot, settings
):
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")
    alice = trusted(group, email="alice@example.org", display_name="Alice Martin")
    bob = trusted(group, email="bob@example.org", display_name="Bob Smith")
    page = services.page_create(
        group=group, author=alice, title="Pricing your work", body=NOTES, summary="Session notes"
    ).page
    page_url = f"{base}{page.get_absolute_url()}"

    alice_page, bob_page = new_page(), new_page()
    log_in(alice_page, base, alice.email)
    log_in(bob_page, base, bob.email)

    alice_page.goto(page_url)
    assert alice_page.get_by_role("heading", name="Contents").is_visible()
    assert alice_page.locator(".wiki-body a.wikilink-missing").inner_text() == (
        "Finding your first clients"
    )
    screenshot(alice_page, "wiki-01-page")

    # Both open the editor on revision 1.
    alice_page.get_by_role("link", name="Edit").click()
    bob_page.goto(page_url)
    bob_page.get_by_role("link", name="Edit").click()

    # Alice rewords the first session line and saves first.
    alice_text = alice_page.locator("textarea[name=body]").input_value()
    alice_page.fill(
        "textarea[name=body]",
        alice_text.replace("Session led by Oliver", "Session led by Oliver and Alice"),
    )
    alice_page.fill("input[name=summary]", "Co-host")
    alice_page.get_by_role("button", name="Save", exact=True).click()
    alice_page.get_by_text("Session led by Oliver and Alice").wait_for()

    # Bob, still on revision 1, adds to the last section and saves second.
    bob_text = bob_page.locator("textarea[name=body]").input_value()
    bob_page.fill(
        "textarea[name=body]",
        bob_text.replace("really bill.", "really bill: about 120 days a year, not 220."),
    )
    bob_page.fill("input[name=summary]", "Billable days")
    bob_page.get_by_role("button", name="Save", exact=True).click()

    # The merge view: both versions, the merged text in the editor, nothing lost.
    bob_page.get_by_role(
        "heading", name="Someone saved this page while you were editing it"
    ).wait_for()
    assert bob_page.get_by_text("touch different lines").is_visible()
    assert bob_page.get_by_role("heading", name=re.compile("Their version")).is_visible()
    assert bob_page.get_by_role("heading", name="Your version").is_visible()
    merged = bob_page.locator("textarea[name=body]").input_value()
    assert "Session led by Oliver and Alice" in merged
    assert "about 120 days a year, not 220." in merged
    assert bob_page.locator("input[name=summary]").input_value() == "Billable days"
    screenshot(bob_page, "wiki-02-merge")
    bob_page.get_by_role("button", name="Save the merged text").click()
    bob_page.get_by_text("about 120 days a year, not 220.").wait_for()
    assert bob_page.get_by_text("Session led by Oliver and Alice").is_visible()

    # Now both change the same line: a conflict, resolved by hand.
    alice_page.goto(page_url)
    alice_page.get_by_role("link", name="Edit").click()
    bob_page.get_by_role("link", name="Edit").click()
    text = alice_page.locator("textarea[name=body]").input_value()
    alice_page.fill("textarea[name=body]", text.replace("Ask for 30 %", "Ask for a third"))
    alice_page.get_by_role("button", name="Save", exact=True).click()
    alice_page.get_by_text("Ask for a third").wait_for()
    text = bob_page.locator("textarea[name=body]").input_value()
    bob_page.fill("textarea[name=body]", text.replace("Ask for 30 %", "Ask for 40 %"))
    bob_page.get_by_role("button", name="Save", exact=True).click()
    bob_page.get_by_text("touch the same lines in 1 place").wait_for()
    conflicted = bob_page.locator("textarea[name=body]").input_value()
    assert (
        "<<<<<<<" in conflicted and "Ask for a third" in conflicted and "Ask for 40 %" in conflicted
    )
    screenshot(bob_page, "wiki-03-conflict")
    # Saving with the markers left in is refused, the text kept.
    bob_page.get_by_role("button", name="Save the merged text").click()
    bob_page.get_by_text("still holds conflict markers").wait_for()
    assert "Ask for 40 %" in bob_page.locator("textarea[name=body]").input_value()
    resolved = re.sub(
        r"<<<<<<<.*?>>>>>>>[^\n]*",
        "Ask for a third (40 % for new clients) before starting. Nobody in the room regretted it.",
        conflicted,
        flags=re.S,
    )
    bob_page.fill("textarea[name=body]", resolved)
    bob_page.get_by_role("button", name="Save the merged text").click()
    bob_page.get_by_text("Ask for a third (40 % for new clients)").wait_for()

    # The history and the word-level diff of Bob's merged edit.
    bob_page.get_by_role("link", name="History").click()
    # expect() waits: the click returns once the history page starts loading.
    expect(bob_page.locator("table.wiki-history tbody tr")).to_have_count(5)
    screenshot(bob_page, "wiki-04-history")
    bob_page.locator("table.wiki-history tbody tr").nth(2).get_by_role(
        "link", name="changes"
    ).click()
    expect(bob_page.locator("table.wiki-diff ins").first).to_be_visible()
    screenshot(bob_page, "wiki-05-diff")


def test_a_new_members_edit_waits_for_a_moderator_in_french(
    live_server, new_page, screenshot, settings
):
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")
    author = trusted(group, email="alice@example.org", display_name="Alice Martin")
    newcomer = member_of(group, email="carl@example.org", display_name="Carl Novak")
    moderator = member_of(
        group, Role.MODERATOR, email="nathalie@example.org", display_name="Nathalie Girard",
        language="fr",
    )  # fmt: skip
    page = services.page_create(
        group=group, author=author, title="Coworking", body="Fridays at the library."
    ).page
    page_url = f"{base}{page.get_absolute_url()}"

    carl = new_page()
    log_in(carl, base, newcomer.email)
    carl.goto(page_url)
    carl.get_by_role("link", name="Edit").click()
    carl.fill(
        "textarea[name=body]", "Fridays at the library. Buy cheap watches at https://spam.example"
    )
    carl.get_by_role("button", name="Save", exact=True).click()
    carl.get_by_text("A moderator will review your edit").wait_for()
    assert carl.get_by_text("cheap watches").is_visible()

    # Others still read the approved text.
    alice = new_page()
    log_in(alice, base, author.email)
    alice.goto(page_url)
    assert alice.get_by_text("Fridays at the library.").is_visible()
    assert alice.get_by_text("cheap watches").count() == 0

    # The moderator, in French, sees why it was held and rejects it.
    nathalie = new_page(locale="fr-FR")
    log_in(nathalie, base, moderator.email)
    # The wiki's review page is the group's one review queue now.
    nathalie.goto(f"{base}/g/going-solo/wiki/review/")
    nathalie.get_by_text("Carl Novak").first.wait_for()
    nathalie.locator(".review-list details summary").first.click()
    screenshot(nathalie, "wiki-06-review-queue-fr")
    nathalie.get_by_role("button", name="Refuser").click()
    nathalie.get_by_text("Rien n’attend.").wait_for()


def test_a_page_is_renamed_and_its_old_address_and_links_still_lead_to_it(
    live_server, new_page, screenshot, settings
):
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")
    alice = trusted(group, email="alice@example.org", display_name="Alice Martin")
    page = services.page_create(
        group=group, author=alice, title="Pricing", body="Day rate or project rate?"
    ).page
    index = services.page_create(
        group=group, author=alice, title="Session notes", body="See [[Pricing]]."
    ).page
    old_url = f"{base}{page.get_absolute_url()}"

    browser = new_page()
    log_in(browser, base, alice.email)
    browser.goto(old_url)
    browser.get_by_role("link", name="Rename").click()
    # Another page's title is refused, and what was typed stays.
    browser.fill("input[name=title]", "session NOTES")
    browser.fill("input[name=reason]", "Clearer for newcomers")
    browser.get_by_role("button", name="Rename").click()
    browser.get_by_text("Another page of this group already has this title").wait_for()
    assert browser.locator("input[name=reason]").input_value() == "Clearer for newcomers"
    browser.fill("input[name=title]", "Pricing your work")
    screenshot(browser, "wiki-07-rename")
    browser.get_by_role("button", name="Rename").click()
    browser.get_by_text("Renamed. Links to “Pricing” and its former address").wait_for()
    assert browser.url == f"{base}/g/going-solo/wiki/p/pricing-your-work/"
    assert browser.get_by_role("heading", name="Pricing your work").is_visible()

    # The old address still works: it leads to the page under its new title.
    browser.goto(old_url)
    assert browser.url == f"{base}/g/going-solo/wiki/p/pricing-your-work/"
    assert browser.get_by_role("heading", name="Pricing your work").is_visible()

    # So does a [[link]] written with the old title.
    browser.goto(f"{base}{index.get_absolute_url()}")
    browser.locator(".wiki-body a.wikilink", has_text="Pricing").click()
    browser.get_by_role("heading", name="Pricing your work").wait_for()

    # The history tells who renamed, when and why.
    browser.get_by_role("link", name="History").click()
    row = browser.locator("table.wiki-history tbody tr").first
    assert "renamed “Pricing” to “Pricing your work”" in row.inner_text()
    assert "Clearer for newcomers" in row.inner_text()
    assert "Alice Martin" in row.inner_text()
    screenshot(browser, "wiki-08-renamed-history")

"""A moderator silences a member from her profile; the member can still read, but her reply
is refused with the date and her text given back; an admin then bans a spammer, who can no
longer join (docs/moderation.md, "Sanctions")."""

import pytest
from playwright.sync_api import expect

from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Ban, Membership, Role
from tests.factories import GroupFactory, member_of
from tests.support import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_silences_a_member_who_then_reads_but_cannot_reply(
    live_server, new_page, screenshot
):
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", join_policy="open")
    moderator = member_of(group, Role.MODERATOR, email="mod@example.org", display_name="Mo Derator")
    ann = member_of(group, email="ann@example.org", display_name="Ann Author")
    thread = thread_start(group=group, author=moderator, title="Rates", body="What do you charge?")
    thread = thread.post.thread

    # Ann opens the thread before the silence: her reply form is on the page.
    member = new_page()
    log_in(member, base, "ann@example.org")
    member.goto(f"{base}{thread.get_absolute_url()}")

    page = new_page()
    log_in(page, base, "mod@example.org")
    page.goto(f"{base}/members/{ann.pk}/")
    page.get_by_role("link", name="Going Solo").last.click()
    expect(page.get_by_role("heading", name="Ann Author")).to_be_visible()
    silence = page.locator("form#silence")
    silence.get_by_label("1 week").check()
    silence.get_by_label("Why").fill("Three insulting replies this week.")
    screenshot(page, "sanctions-01-silence-form")
    silence.get_by_role("button", name="Silence the member").click()
    page.get_by_text("Ann Author is silenced until").wait_for()
    assert page.locator("#silenced").is_visible()

    # Ann sends the reply she had typed: refused, with the date and her text to copy.
    member.fill("textarea[name=body]", "My day rate is 800 francs.")
    member.locator("#reply button[type=submit]").click()
    member.get_by_text("A moderator silenced you in Going Solo until").wait_for()
    assert member.locator("textarea.typed-text").input_value() == "My day rate is 800 francs."
    screenshot(member, "sanctions-02-refused-reply")
    # She still reads the thread, and no reply form is offered.
    member.goto(f"{base}{thread.get_absolute_url()}")
    assert member.get_by_text("What do you charge?").is_visible()
    assert member.locator("textarea[name=body]").count() == 0


def test_an_admin_bans_a_spammer_who_cannot_join_again(live_server, new_page):
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", join_policy="open")
    admin = member_of(group, Role.ADMIN, email="admin@example.org")
    spammer = member_of(group, email="spam@example.org", display_name="Sam Spam")

    page = new_page()
    log_in(page, base, "admin@example.org")
    page.goto(f"{base}/g/going-solo/review/members/{spammer.pk}/")
    ban = page.locator("form#ban")
    ban.get_by_label("Why").fill("Selling shoes in every thread.")
    ban.get_by_role("button", name="Remove and ban").click()
    page.get_by_text("Sam Spam is removed from the group and banned.").wait_for()
    assert not Membership.objects.filter(group=group, user=spammer).exists()
    assert Ban.objects.filter(group=group, user=spammer, banned_by=admin).exists()

    gone = new_page()
    log_in(gone, base, "spam@example.org")
    gone.goto(f"{base}/g/going-solo/")
    assert gone.get_by_text("The admins of this group banned you").is_visible()
    assert gone.get_by_role("link", name="Join this group").count() == 0

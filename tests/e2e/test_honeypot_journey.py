"""The honeypot in a real browser: nobody sees it, the keyboard never reaches it, and a
person who signs up and posts leaves it empty — nothing of theirs is refused or held
(docs/moderation.md, "Spam signals")."""

import re

import pytest

from goingsolo.accounts.models import User
from goingsolo.discussions.models import Thread
from goingsolo.groups.models import Membership, Role
from tests.factories import PASSWORD, GroupFactory, member_of
from tests.support import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_out_of_sight(page):
    honeypot = page.locator("input[name=website]")
    box = honeypot.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0, box
    assert honeypot.get_attribute("tabindex") == "-1"
    assert honeypot.input_value() == ""


def test_a_person_signs_up_past_the_honeypot_without_seeing_it(live_server, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    assert_out_of_sight(page)
    page.fill("input[name=email]", "ines@example.org")
    page.fill("input[name=display_name]", "Inès Martin")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    # The keyboard goes from the last field to the button: the honeypot is skipped.
    page.focus("input[name=password2]")
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") != "website"
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/.*"))
    assert User.objects.filter(email="ines@example.org").exists()


def test_a_trusted_members_thread_from_the_browser_shows_at_once(live_server, new_page):
    group = GroupFactory()
    member_of(group, Role.MEMBER, email="ana@example.org")
    Membership.objects.filter(group=group).update(approvals=3)
    page = new_page()
    log_in(page, live_server.url, "ana@example.org")
    page.goto(f"{live_server.url}/g/{group.slug}/t/new/")
    assert_out_of_sight(page)
    page.fill("input[name=title]", "Coworking on Friday")
    page.fill("textarea[name=body]", "Who is in?")
    page.locator("main form.thread-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/t/\d+/$"))
    thread = Thread.objects.get(group=group)
    assert not thread.is_held and thread.posts.get().held_because == []

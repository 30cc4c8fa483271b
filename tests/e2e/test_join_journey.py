"""A newcomer signs up, verifies their address, asks to join the closed group, is approved,
switches to French and reads the group's French description."""

import re

import pytest
from playwright.sync_api import expect

from goingsolo.groups.models import Role
from tests.factories import PASSWORD, GroupFactory, member_of
from tests.support import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newcomer_joins_the_closed_group_and_reads_it_in_french(
    live_server, new_page, mail_sink, screenshot, settings
):
    base = live_server.url
    settings.SITE_URL = base  # links in emails name SITE_URL, never the request's host
    group = GroupFactory(
        name="Going Solo",
        slug="going-solo",
        visibility="closed",
        join_policy="approval",
        rules="Be kind. No spam.",
        join_questions=["What is your trade?"],
        description_en="Independent workers helping each other, in French and English.",
        description_fr="Des indépendants qui s'entraident, en français et en anglais.",
    )
    admin = member_of(group, Role.ADMIN, email="admin@example.org", language="en")

    # Sign up.
    page = new_page()
    page.goto(f"{base}/")
    screenshot(page, "01-home-anonymous")
    page.get_by_role("link", name="Sign up").first.click()
    page.fill("input[name=email]", "lena@example.org")
    page.fill("input[name=display_name]", "Lena Keller")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    screenshot(page, "02-sign-up")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/.*"))

    # The verification email arrives over SMTP; follow its link.
    message = mail_sink.wait_for("lena@example.org")
    link = message.first_link(r"https?://\S+/accounts/confirm-email/\S+/")
    page.goto(link)
    screenshot(page, "03-confirm-email")
    page.locator("main form button[type=submit]").click()

    # Ask to join the closed group.
    page.goto(f"{base}/g/going-solo/")
    assert page.get_by_text("Only members see this group’s discussions").is_visible()
    page.get_by_role("link", name="Ask to join").click()
    page.fill("textarea[name=answer_0]", "Translator, French and German")
    page.check("input[name=accept_rules]")
    screenshot(page, "04-ask-to-join")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Your request is sent")).to_be_visible()

    # The admin approves, in another browser.
    admin_page = new_page()
    log_in(admin_page, base, admin.email)
    admin_page.goto(f"{base}/g/going-solo/requests/")
    assert admin_page.get_by_text("Translator, French and German").is_visible()
    screenshot(admin_page, "05-requests")
    admin_page.get_by_role("button", name="Approve").click()
    expect(admin_page.get_by_text("Lena Keller is now a member.")).to_be_visible()
    approval = mail_sink.wait_for("lena@example.org", "Welcome to Going Solo")
    assert "/g/going-solo/" in approval.text()

    # The newcomer sees the group, switches to French.
    page.goto(f"{base}/g/going-solo/")
    assert page.get_by_text("You are: Member").is_visible()
    page.select_option("#language-select", "fr")
    page.wait_for_load_state("load")
    page.get_by_text("Des indépendants qui s'entraident").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("Vous êtes : Membre").is_visible()
    assert page.get_by_text("Independent workers helping each other").count() == 0
    screenshot(page, "06-group-in-french")
    page.goto(f"{base}/g/going-solo/members/")
    screenshot(page, "07-members-in-french")
    assert page.locator("#main").get_by_text("Lena Keller").is_visible()

    # The member filter updates the list in place (htmx) as the city is typed.
    page.fill("input[name=city]", "Lausanne")
    page.locator("#member-results").get_by_text("Lena Keller").wait_for(state="detached")
    assert page.locator("#member-results").get_by_text(admin.display_name).is_visible()
    assert "city=Lausanne" in page.url

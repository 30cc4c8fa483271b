"""The discussion journey, in two browsers: Lena starts a thread, Marie sees it appear on
the group page without reloading, opens it and replies in French; Lena sees the reply
appear without reloading (server-sent events), has it translated, reacts to it (Marie is
notified) and finds it with the search box.

Runs against uvicorn in the test process: the in-process live backend hears what the
request threads publish (jobs run at once under test)."""

import re
import time

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from goingsolo.core import live
from goingsolo.discussions.live import group_channel, thread_channel
from goingsolo.discussions.models import Thread
from goingsolo.groups.models import Role
from tests.factories import GroupFactory, member_of
from tests.fakes import FakeTranslationService
from tests.support import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Coworking day in Lausanne?"
REPLY = "Bonne idée ! Je propose la bibliothèque municipale, jeudi matin."
# Set on a page once loaded: still there later means the page was never reloaded.
MARK = "window.__notReloaded = true"
STILL_MARKED = "() => window.__notReloaded === true"


def in_french(message):
    with translation.override("fr"):
        return gettext(message)


def wait_for_listeners(channel, count, timeout=15):
    """Until COUNT pages listen to CHANNEL: what is published after that reaches them."""
    deadline = time.monotonic() + timeout
    while live.get_backend().local_subscriber_count(channel) < count:
        assert time.monotonic() < deadline, f"{count} pages never listened to {channel}"
        time.sleep(0.05)


def test_a_thread_and_its_reply_travel_live_between_two_members(
    asgi_server, new_page, screenshot, settings
):
    base = asgi_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")
    member_of(
        group, Role.ADMIN, email="lena@example.org", display_name="Lena Keller", handle="lena"
    )
    member_of(
        group, email="marie@example.org", display_name="Marie Dubois", handle="marie", language="fr"
    )
    lena = new_page()
    marie = new_page(locale="fr-FR")
    for page, email in ((lena, "lena@example.org"), (marie, "marie@example.org")):
        log_in(page, base, email)

    # Marie has the group page open.
    marie.goto(f"{base}/g/going-solo/")
    marie.evaluate(MARK)
    wait_for_listeners(group_channel(group.pk), 1)
    screenshot(marie, "journey-01-marie-group-page")

    # Lena starts a thread.
    lena.goto(f"{base}/g/going-solo/t/new/")
    lena.fill("input[name=title]", TITLE)
    lena.fill("textarea[name=body]", "Who wants to work together on Thursday? Ideas for a place?")
    screenshot(lena, "journey-02-lena-new-thread")
    lena.get_by_role("button", name="Post the thread").click()
    lena.wait_for_url(re.compile(r".*/t/\d+/$"))
    thread = Thread.objects.get(title=TITLE)
    lena.evaluate(MARK)

    # Marie's page says so, without a reload; she opens the thread.
    banner = marie.locator("#new-threads")
    banner.wait_for(state="visible")
    assert banner.inner_text().startswith(in_french("1 new thread"))
    assert marie.evaluate(STILL_MARKED)
    screenshot(marie, "journey-03-marie-sees-new-thread")
    banner.get_by_role("link").click()
    marie.get_by_role("link", name=TITLE).click()
    marie.wait_for_url(re.compile(rf".*/t/{thread.pk}/$"))
    marie.locator("#post-1").wait_for()

    # Marie replies in French; Lena, who has the thread open, sees it arrive.
    wait_for_listeners(thread_channel(thread.pk), 2)
    with FakeTranslationService(settings, timeout=5) as translator:
        translator.translate = lambda body: (
            "Good idea! I suggest the **municipal library**, Thursday morning."
        )
        marie.fill("#reply textarea[name=body]", REPLY)
        marie.locator("#reply button[type=submit]").click()
        marie.locator("#post-2").wait_for()
        screenshot(marie, "journey-04-marie-replied")

        reply = lena.locator("#post-2")
        reply.wait_for()
        assert REPLY in reply.locator(".post-body").inner_text()
        assert lena.evaluate(STILL_MARKED)
        screenshot(lena, "journey-05-lena-sees-the-reply")

        # The reply is in French, Lena reads English: she has it translated, in place.
        reply.get_by_role("button", name="Translate").click()
        reply.locator(".post-body.translated").wait_for()
        assert "municipal library" in reply.locator(".post-body.translated").inner_text()
        assert len(translator.requests) == 1
    reply.locator(".original-text summary").click()
    assert reply.locator(".original-text .post-body").inner_text() == REPLY
    assert lena.evaluate(STILL_MARKED)
    screenshot(lena, "journey-06-lena-translated-the-reply")

    # Lena reacts; Marie is notified.
    reply.locator(".react-link").click()
    reply.locator(".react-picker button[value='🙏']").click()
    lena.wait_for_selector("#post-2 .reaction-list button[aria-pressed=true]:has-text('🙏')")
    marie.reload()
    count = marie.locator(".notifications-link .count")
    assert count.inner_text() == "1"
    screenshot(marie, "journey-07-marie-is-notified")
    marie.locator(".notifications-link").click()
    expect(marie.get_by_text("Lena Keller").first).to_be_visible()
    screenshot(marie, "journey-08-marie-notifications")

    # Lena searches for a word of the reply, without its accent.
    lena.fill("#site-search-q", "bibliotheque")
    lena.press("#site-search-q", "Enter")
    lena.wait_for_url(re.compile(r".*/search/\?.*q=bibliotheque"))
    result = lena.locator(".search-results li").first
    assert result.locator("mark").first.inner_text().lower() == "bibliothèque"
    assert lena.locator(".search-results li").count() == 1
    screenshot(lena, "journey-09-lena-finds-the-reply")
    result.get_by_role("link", name=TITLE).click()
    lena.wait_for_url(re.compile(rf".*/t/{thread.pk}/#post-2$"))
    lena.locator("#post-2").wait_for()

    errors = lena.errors + marie.errors
    assert not errors, "\n".join(errors)

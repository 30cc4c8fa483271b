"""Live updates on the instance as it runs (`goingsolo run`: web, worker and mail listener
in processes of their own), in two browsers: members on one thread see each other's
replies appear without reloading, and a reply sent by email appears too.

A reply reaches open pages from the worker's job (`discussions.tasks.post_created`), a
process apart from the web server's: without Redis that takes live updates across
processes (docs/live-updates.md).
"""

import time
import urllib.request

import pytest

from tests.support import log_in

from .instances import message

pytestmark = [pytest.mark.topology, pytest.mark.browser]

# Milliseconds: a reply on the web goes through the worker; one by email through the
# listener and then the worker, twice.
WEB_REPLY_WITHIN = 10_000
MAIL_REPLY_WITHIN = 20_000
# Set on a page once loaded: still there later means the page was never reloaded.
MARK = "window.__notReloaded = true"
STILL_MARKED = "() => window.__notReloaded === true"
# Counts the page's event streams that are open (added before the page's own scripts).
COUNT_OPEN_STREAMS = """
(() => {
  const Native = window.EventSource;
  if (!Native) return;
  window.__openStreams = 0;
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => { window.__openStreams += 1; });
    }
  };
})();
"""


def on_thread(new_page, instance, member, thread):
    """MEMBER logged in, with THREAD open and listening for new replies."""
    page = new_page()
    page.add_init_script(COUNT_OPEN_STREAMS)
    log_in(page, instance.url, member["email"], member["password"])
    page.goto(f"{instance.url}{thread['url']}")
    # Polled from here: the page's CSP forbids the evaluation wait_for_function uses.
    for _ in range(150):
        if page.evaluate("() => window.__openStreams > 0"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the thread page opened no event stream")
    # The stream is open; its subscription follows within moments.
    page.wait_for_timeout(1000)
    page.evaluate(MARK)
    return page


def reply_on_the_web(page, position, text):
    page.fill("#reply textarea[name=body]", text)
    page.locator("#reply button[type=submit]").click()
    page.locator(f"#post-{position}").wait_for()


def sees_live(page, position, text, within):
    reply = page.locator(f"#post-{position}")
    reply.wait_for(timeout=within)
    assert text in reply.locator(".post-body").inner_text()
    assert page.evaluate(STILL_MARKED), "the page was reloaded"


def test_two_members_on_a_thread_see_each_others_replies_live(instance, new_page):
    seeded = instance.seeded["live"]
    thread = seeded["web_thread"]
    alice = on_thread(new_page, instance, seeded["alice"], thread)
    bob = on_thread(new_page, instance, seeded["bob"], thread)

    reply_on_the_web(alice, 2, "I'll be there from nine.")
    sees_live(bob, 2, "I'll be there from nine.", WEB_REPLY_WITHIN)

    reply_on_the_web(bob, 3, "Me too, save me a seat by the window.")
    sees_live(alice, 3, "Me too, save me a seat by the window.", WEB_REPLY_WITHIN)


def test_replies_by_email_appear_live(instance, new_page):
    seeded = instance.seeded["live"]
    thread = seeded["mail_thread"]
    alice = on_thread(new_page, instance, seeded["alice"], thread)
    bob = seeded["bob"]

    # To the group's address, signed by the sender's mail provider (DKIM).
    signed_reply = "The office printer at the library works well."
    instance.send_to_group(
        seeded["group"],
        sender=bob["email"],
        subject=f"Re: {thread['title']}",
        body=signed_reply,
        in_reply_to=thread["message_id"],
    )
    sees_live(alice, 2, signed_reply, MAIL_REPLY_WITHIN)

    # To his own reply address (its token proves him), unsigned.
    token_reply = "And toner is cheap there."
    instance.send_mail(
        message(
            sender=bob["email"],
            to=thread["bob_reply_address"],
            subject=f"Re: {thread['title']}",
            body=token_reply,
            in_reply_to=thread["message_id"],
        ),
        to=thread["bob_reply_address"],
    )
    sees_live(alice, 3, token_reply, MAIL_REPLY_WITHIN)


def read_as_a_visitor(url):
    """The page as a visitor without an account reads it: no cookie, a new connection."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_a_visitor_reads_a_reply_posted_by_another_process_at_once(instance):
    """Pages kept for visitors (core/page_cache.py) are served only while no process has
    written since: the reply is posted by the mail listener and the worker, not by the web
    process that keeps the page."""
    seeded = instance.seeded["live"]
    thread = seeded["visited_thread"]
    kept_url = f"{instance.url}{thread['url']}"
    reply = "The café by the station has good wifi."
    assert reply not in read_as_a_visitor(kept_url)

    instance.send_to_group(
        seeded["public_group"],
        sender=seeded["vera"]["email"],
        subject=f"Re: {thread['title']}",
        body=reply,
        in_reply_to=thread["message_id"],
    )
    for attempt in range(MAIL_REPLY_WITHIN // 250):
        # The kept page is read again (kept anew while the reply is not there yet), then
        # the page at an address never kept: once that one shows the reply, the kept one
        # must too, though far less than its ten seconds of age have passed.
        read_as_a_visitor(kept_url)
        if reply in read_as_a_visitor(f"{kept_url}?fresh={attempt}"):
            break
        time.sleep(0.25)
    else:
        raise AssertionError("the reply by email was not posted")
    assert reply in read_as_a_visitor(kept_url)

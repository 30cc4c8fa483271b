"""Mail on the instance as it runs (`goingsolo run`: web, worker, mail listener), driven
from outside: mail sent to the listener over SMTP, emails read from the SMTP sink the
worker sends to, pages opened in Chromium.

- a daily digest goes out at the member's morning, once (the worker's schedule:
  GOINGSOLO_SCHEDULER_INTERVAL, GOINGSOLO_DIGEST_HOUR — the member's time zone is chosen so
  that it is just past that hour where they live; the clock is not faked);
- the mail server refuses (451) for a while, then accepts: each email arrives once;
- a forged From is held, its member asked, and posted once when they confirm;
- a reply that only In-Reply-To ties to its thread, from an unproven sender, is not posted.
"""

import re
import time
from collections import Counter

import pytest

from tests.support import log_in

from . import instances
from .instances import DIGEST_HOUR, message, zone_where_it_is

pytestmark = [pytest.mark.topology, pytest.mark.browser]

# The worker looks at its schedule every second, and at the queue as soon as it is told.
ARRIVES_WITHIN = 20


def emails_to(instance, address, subject=""):
    return [
        m for m in list(instance.sink.received) if m.to == address and subject in str(m["Subject"])
    ]


def wait_for(condition, what, timeout=ARRIVES_WITHIN):
    instances.wait_for(condition, what, timeout)


def logged_in(new_page, instance, member):
    page = new_page()
    log_in(page, instance.url, member["email"], member["password"])
    return page


def posts_with(instance, text):
    return instance.query("SELECT thread_id FROM discussions_post WHERE body LIKE %s", f"%{text}%")


def test_the_daily_digest_goes_out_at_the_members_morning_once(instance, new_page):
    morning = instance.seeded["mail"]["morning"]
    reader = morning["reader"]
    assert emails_to(instance, reader["email"]) == [], "a digest before her morning"

    # She moves to where it is just past the digest hour, as she would on her profile.
    page = logged_in(new_page, instance, reader)
    page.goto(f"{instance.url}/profile/")
    page.fill("input[name=time_zone]", zone_where_it_is(DIGEST_HOUR))
    page.locator("form.profile-form button[type=submit]").click()
    page.get_by_text("Your profile is saved.").wait_for()

    wait_for(
        lambda: emails_to(instance, reader["email"], "Daily digest"),
        f"no digest\n{instance.outputs()}",
    )
    time.sleep(2)  # several schedule checks later
    [digest] = emails_to(instance, reader["email"])
    assert "Books for the summer" in digest.text()


def test_emails_refused_for_a_while_arrive_once_when_the_server_accepts(instance):
    outage = instance.seeded["mail"]["outage"]
    readers = {reader["email"] for reader in outage["readers"]}
    subject = "Power cut on Monday"
    instance.sink.refusing = "451 4.3.0 Try again later"
    try:
        instance.send_to_group(
            outage["group"],
            sender=outage["author"]["email"],
            subject=subject,
            body="The building has no power on Monday morning: work from home.",
        )

        def refusals():
            return Counter(rcpt[0] for rcpt in list(instance.sink.refused) if rcpt[0] in readers)

        # Each email is refused, then tried again (and refused again) after a second.
        wait_for(
            lambda: set(refusals()) == readers and max(refusals().values()) >= 2,
            f"refusals: {refusals()}\n{instance.outputs()}",
        )
    finally:
        instance.sink.refusing = None

    wait_for(
        lambda: {m.to for m in instance.sink.received if subject in str(m["Subject"])} == readers,
        f"after the outage: {[m.to for m in instance.sink.received]}\n{instance.outputs()}",
        timeout=ARRIVES_WITHIN + 10,
    )
    time.sleep(2)
    arrived = [m for m in instance.sink.received if subject in str(m["Subject"])]
    assert Counter(m.to for m in arrived) == {address: 1 for address in readers}


def test_a_forged_sender_is_held_until_the_member_confirms_then_posted_once(instance, new_page):
    forged = instance.seeded["mail"]["forged"]
    member = forged["member"]
    body = "Quiet hours from two to four, please."
    # Unsigned, from an address whose domain publishes nothing: anyone could have sent it.
    instance.send_mail(
        message(
            sender=member["email"],
            to=instance.group_address(forged["group"]),
            subject="Quiet hours",
            body=body,
        ),
        to=instance.group_address(forged["group"]),
    )
    wait_for(
        lambda: emails_to(instance, member["email"], "Did you send"),
        f"no confirmation asked\n{instance.outputs()}",
    )
    assert posts_with(instance, body) == []
    [question] = emails_to(instance, member["email"], "Did you send")
    link = re.search(r"http://\S+/mail/confirm/\S+/", question.text()).group(0)

    # The member opens the link from their mail program and posts it.
    page = new_page()
    page.goto(link)
    assert posts_with(instance, body) == []  # opening the link posts nothing
    page.get_by_role("button", name="Post it").click()
    posted = page.get_by_role("heading", name="Your message is posted")
    posted.wait_for()
    page.goto(link)  # the link again: already done, nothing more
    posted.wait_for()

    [(thread_id,)] = posts_with(instance, body)
    page = logged_in(new_page, instance, member)
    page.goto(f"{instance.url}/g/{forged['group']}/t/{thread_id}/")
    assert page.locator(".post-body").filter(has_text=body).count() == 1


def test_an_unproven_reply_by_in_reply_to_alone_is_not_posted(instance, new_page):
    replies = instance.seeded["mail"]["replies"]
    member, thread = replies["member"], replies["thread"]
    body = "Count me in for Friday."
    instance.send_mail(
        message(
            sender=member["email"],
            to=instance.group_address(replies["group"]),
            subject=f"Re: {thread['title']}",
            body=body,
            in_reply_to=thread["message_id"],
        ),
        to=instance.group_address(replies["group"]),
    )
    # Processed: held for its sender's confirmation, not posted.
    wait_for(
        lambda: emails_to(instance, member["email"], "Did you send"),
        f"no confirmation asked\n{instance.outputs()}",
    )
    assert instance.query(
        "SELECT status FROM mail_inboundmessage WHERE subject = %s", f"Re: {thread['title']}"
    ) == [("awaiting",)]
    assert posts_with(instance, body) == []
    page = logged_in(new_page, instance, member)
    page.goto(f"{instance.url}{thread['url']}")
    page.locator("#post-1").wait_for()
    assert body not in page.locator("main").inner_text()

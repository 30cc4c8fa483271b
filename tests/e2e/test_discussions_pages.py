"""The discussion pages in a real browser: screenshots to look at, and the enhancements
(mention autocomplete, reply and reactions in place) working under the strict CSP."""

import pytest
from django.utils import timezone

from goingsolo.core.uploads import check_upload
from goingsolo.discussions import services
from goingsolo.groups.models import Role
from tests.discussions.conftest import png_file
from tests.factories import GroupFactory, member_of
from tests.support import log_in, send_reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed():
    group = GroupFactory(
        name="Going Solo",
        slug="going-solo",
        visibility="closed",
        description_en="Independent workers helping each other, in French and English.",
    )
    lena = member_of(
        group, Role.ADMIN, email="lena@example.org", display_name="Lena Keller", handle="lena"
    )
    marie = member_of(
        group, email="marie@example.org", display_name="Marie Dubois", handle="marie", language="fr"
    )
    tom = member_of(group, display_name="Tom Baker", handle="tom")
    member_of(group, display_name="Martin Roux", handle="martin")

    rates = services.thread_start(
        group=group,
        author=marie,
        title="Comment fixez-vous vos tarifs ?",
        body="Je suis traductrice indépendante depuis deux ans. Un client me demande une "
        "remise de 30 %. Vous acceptez ce genre de demande ?",
    ).post.thread
    reply = services.post_reply(
        thread=rates,
        author=tom,
        body="> Un client me demande une remise de 30 %.\n\nNever below your floor rate. "
        "I explain what the price includes, and offer a smaller scope instead. @marie, "
        "want my template?",
        quoted_post=rates.posts.first(),
    ).post
    for user, emoji in ((lena, "👍"), (tom, "👍"), (lena, "🙏")):
        services.reaction_add(post=rates.posts.first(), user=user, emoji=emoji)
    services.reaction_add(post=reply, user=marie, emoji="❤️")
    services.post_reply(thread=rates, author=marie, body="Oui, merci Tom, super utile !")

    meetup = services.thread_start(
        group=group,
        author=lena,
        title="Next meetup in Leeds: which evening?",
        body="The library has a room for us. Vote below, and tell us if you bring a friend.",
        poll={
            "question": "Which evening suits you?",
            "options": ["Tuesday", "Wednesday", "Thursday"],
            "allows_multiple": True,
            "closes_at": timezone.now() + timezone.timedelta(days=5),
        },
    ).post.thread
    services.poll_vote(poll=meetup.poll, user=tom, option_ids=[meetup.poll.options.all()[1].pk])
    photo = png_file("bureau.png", size=(900, 600), colour=(210, 180, 140))
    services.thread_start(
        group=group,
        author=tom,
        title="My new desk by the window",
        body="Finally a proper setup. What does yours look like?",
        attachments=[(check_upload(photo), photo)],
    )
    services.thread_set_pinned(thread=meetup, by=lena, pinned=True)
    return group, lena, rates, meetup


def test_discussion_pages_look_right(asgi_server, new_page, screenshot, settings, tmp_path):
    settings.GOINGSOLO_PRIVATE_FILES_ROOT = tmp_path / "private"
    group, _lena, rates, meetup = seed()
    base = asgi_server.url
    page = new_page()
    log_in(page, base, "lena@example.org")

    page.goto(f"{base}/g/going-solo/")
    assert page.locator(".thread-row").count() == 3
    screenshot(page, "discussions-01-group-page")

    page.goto(f"{base}/")
    screenshot(page, "discussions-02-home-activity")

    page.goto(f"{base}{rates.get_absolute_url()}")
    assert page.locator("article.post").count() == 3
    screenshot(page, "discussions-03-thread")

    # A reaction, in place.
    first = page.locator("#post-1")
    first.locator(".react-link").click()
    assert first.locator(".react-link").get_attribute("aria-expanded") == "true"
    screenshot(page, "discussions-03-thread-reaction-picker")
    first.locator(".react-picker button[value='🎉']").click()
    page.wait_for_selector("#post-1 .reaction-list button[aria-pressed=true]:has-text('🎉')")
    assert first.locator(".react-picker").count() == 0

    # @mention autocomplete in the reply box, then a reply posted in place.
    textarea = page.locator("#reply textarea[name=body]")
    textarea.click()
    textarea.type("Merci @mar")
    page.wait_for_selector(".mention-list li[role=option]")
    assert page.locator(".mention-list li").count() == 2  # Marie and Martin
    screenshot(page, "discussions-04-mention-autocomplete")
    textarea.press("Enter")
    assert textarea.input_value() == "Merci @marie "
    textarea.type("pour la question, et à mardi.")
    send_reply(page, 4)
    assert "Merci @marie" in page.locator("#post-4 .post-body").inner_text()
    assert page.locator("#post-4").count() == 1  # not twice, though its live event came back

    page.goto(f"{base}{meetup.get_absolute_url()}")
    screenshot(page, "discussions-05-thread-with-poll")
    page.get_by_label("Thursday").check()
    page.get_by_role("button", name="Vote").click()
    page.wait_for_selector(".poll-results")
    screenshot(page, "discussions-06-poll-results")

    page.goto(f"{base}/g/going-solo/t/new/")
    page.locator("details.poll-fields summary").click()
    screenshot(page, "discussions-07-new-thread")

    desk = group.threads.get(title="My new desk by the window")
    page.goto(f"{base}{desk.get_absolute_url()}")
    page.locator(".attachment.image img").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.querySelector('.attachment.image img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    screenshot(page, "discussions-08-thread-with-image")

    # Marie reads her notifications, in French.
    marie = new_page(locale="fr-FR")
    log_in(marie, base, "marie@example.org")
    marie.goto(f"{base}/notifications/")
    assert marie.locator(".notification").count() >= 3
    screenshot(marie, "discussions-09-notifications-fr")
    marie.goto(f"{base}{rates.get_absolute_url()}")
    screenshot(marie, "discussions-09b-thread-fr")

    mobile = new_page()
    mobile.set_viewport_size({"width": 390, "height": 844})
    log_in(mobile, base, "lena@example.org")
    mobile.goto(f"{base}{rates.get_absolute_url()}")
    screenshot(mobile, "discussions-10-thread-mobile")
    mobile.goto(f"{base}/g/going-solo/")
    screenshot(mobile, "discussions-11-group-mobile")
    assert not page.errors, "\n".join(page.errors)

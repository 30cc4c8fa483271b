"""Profiles in a real browser: the form on a phone and a desktop in both languages (with
screenshots to look at), the time zone guessed from the browser at sign-up and on the
form, an anonymous reader following a post's author, and a mention found by "@oli"."""

import re

import pytest

from goingsolo.accounts.models import Notification, User
from goingsolo.discussions import services
from goingsolo.discussions.models import Mention
from goingsolo.groups.models import Role
from tests.factories import PASSWORD, GroupFactory, member_of
from tests.support import log_in, send_reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def open_page(new_page):
    """A page as `new_page` makes it, on a desktop in London unless told otherwise."""

    def make(locale="en-GB", viewport=DESKTOP, timezone_id="Europe/London"):
        return new_page(locale=locale, viewport=viewport, timezone_id=timezone_id)

    return make


def logged_in(open_page, base, email, **context):
    page = open_page(**context)
    log_in(page, base, email)
    return page


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_profile_form_reads_well_on_a_phone_and_a_desktop(
    live_server, open_page, screenshot, language, width
):
    group = GroupFactory(name="Going Solo", slug="going-solo")
    member_of(
        group,
        email="lena@example.org",
        display_name="Lena Keller",
        handle="lena",
        language=language,
        time_zone="Europe/Zurich",
        bio="Freelance translator, English and German into French.",
        skills="translation, copywriting",
    )
    page = logged_in(
        open_page,
        live_server.url,
        "lena@example.org",
        locale="fr-CH" if language == "fr" else "en-GB",
        viewport=PHONE if width == "phone" else DESKTOP,
    )
    page.goto(f"{live_server.url}/profile/")
    legends = {"en": ["Languages spoken", "Languages I read"], "fr": None}[language]
    fieldsets = page.locator("form.profile-form fieldset")
    assert fieldsets.count() == 2
    if legends:
        assert [fieldsets.nth(i).locator("legend").inner_text() for i in range(2)] == legends
    # Each legend sits above its checkboxes, never among them.
    for i in range(2):
        legend = fieldsets.nth(i).locator("legend").bounding_box()
        first_choice = fieldsets.nth(i).locator(".choice").first.bounding_box()
        assert legend["y"] + legend["height"] <= first_choice["y"] + 1
    assert no_horizontal_scroll(page)
    zone = page.locator("input[name=time_zone]")
    assert zone.input_value() == "Europe/Zurich"
    assert zone.get_attribute("list") == "time-zone-list"
    screenshot(page, f"profile-form-{width}-{language}")
    assert page.errors == []


def test_a_new_member_gets_the_time_zone_of_their_browser(live_server, open_page, screenshot):
    # Chromium names India's zone "Asia/Calcutta"; the site stores the current name.
    page = open_page(timezone_id="Asia/Kolkata")
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("input[name=time_zone]").input_value() in ("Asia/Calcutta", "Asia/Kolkata")
    page.fill("input[name=email]", "priya@example.org")
    page.fill("input[name=display_name]", "Priya Nair")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/.*"))
    assert User.objects.get(email="priya@example.org").time_zone == "Asia/Kolkata"


def test_a_member_on_utc_finds_their_browsers_zone_in_the_form(live_server, open_page, screenshot):
    member_of(GroupFactory(), email="tom@example.org", time_zone="UTC", display_name="Tom Baker")
    page = logged_in(open_page, live_server.url, "tom@example.org", timezone_id="America/Denver")
    page.goto(f"{live_server.url}/profile/")
    zone = page.locator("input[name=time_zone]")
    assert zone.input_value() == "America/Denver"
    assert page.locator(".time-zone-guess").is_visible()
    screenshot(page, "profile-form-time-zone-guessed")
    page.locator("form.profile-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/members/\d+/$"))
    assert User.objects.get(email="tom@example.org").time_zone == "America/Denver"
    assert "America/Denver" in page.locator(".facts").inner_text()
    # The zone is searched by city in the list; without a guess the field keeps its value.
    page.goto(f"{live_server.url}/profile/")
    assert zone.input_value() == "America/Denver"
    assert not page.locator(".time-zone-guess").is_visible()


def test_an_anonymous_reader_follows_an_author_to_a_short_profile(
    live_server, open_page, screenshot
):
    group = GroupFactory(name="Going Solo Leeds", slug="leeds", visibility="public")
    author = member_of(
        group, display_name="Ines Moreau", city="Leeds", bio="Illustrator.", skills="drawing"
    )
    left = member_of(group, display_name="Paul Gone")
    thread = services.thread_start(
        group=group, author=author, title="Sketching on Sunday", body="Who is in?"
    ).post.thread
    services.post_reply(thread=thread, author=left, body="Count me in.")
    left.memberships.all().delete()

    for language, locale in (("en", "en-GB"), ("fr", "fr-FR")):
        page = open_page(locale=locale, viewport=PHONE)
        page.goto(f"{live_server.url}{thread.get_absolute_url()}")
        # The author who left is named without a link: nowhere to go.
        assert page.locator("#post-2 .author").evaluate("node => node.tagName") == "SPAN"
        page.locator("#post-1 a.author").click()
        page.wait_for_url(re.compile(rf".*/members/{author.pk}/$"))
        assert page.locator("h1").inner_text() == "Ines Moreau"
        assert "Illustrator." in page.locator(".profile").inner_text()
        assert "drawing" not in page.locator(".profile").inner_text()
        screenshot(page, f"profile-short-anonymous-{language}")


def test_typing_oli_offers_oliver_and_the_reply_notifies_him(asgi_server, open_page, screenshot):
    group = GroupFactory(name="Going Solo", slug="going-solo")
    oliver = member_of(group, Role.ADMIN, display_name="Oliver Hartley", handle="oliver.hartley")
    member_of(group, email="marie@example.org", display_name="Marie Dubois", handle="marie")
    thread = services.thread_start(
        group=group, author=oliver, title="Meetup venue", body="Any ideas for May?"
    ).post.thread
    page = logged_in(open_page, asgi_server.url, "marie@example.org")
    page.goto(f"{asgi_server.url}{thread.get_absolute_url()}")
    textarea = page.locator("#reply textarea[name=body]")
    textarea.click()
    textarea.type("The library, @oli")
    page.wait_for_selector(".mention-list li[role=option]")
    options = page.locator(".mention-list li")
    assert options.count() == 1
    assert "Oliver Hartley" in options.first.inner_text()
    screenshot(page, "profile-mention-oli")
    textarea.press("Enter")
    assert textarea.input_value() == "The library, @oliver.hartley "
    textarea.type("what do you think?")
    send_reply(page, 2)
    assert "@oliver.hartley" in page.locator("#post-2 .post-body a.mention").inner_text()
    assert Notification.objects.filter(recipient=oliver, kind="mention").count() == 1

    # Typed by hand and not picked from the list, "@oli" names him too.
    textarea = page.locator("#reply textarea[name=body]")
    textarea.fill("Thanks @oli, see you there.")
    send_reply(page, 3)
    assert page.locator("#post-3 .post-body a.mention").inner_text() == "@oli"
    assert Mention.objects.filter(user=oliver).count() == 2
    assert page.errors == []

"""Navigation a member finds without scrolling, on a phone (390 px) and a computer (1280 px),
in English and in French: the group's tabs lead to its events and wiki in one click, the
phone's menu opens (with and without JavaScript, and from the keyboard) and reaches "My
calendar", an anonymous visitor who follows a post author's link sees a short profile, and
one who follows a dead link gets a page in their language with a way back."""

import pytest

from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.groups.models import Role
from goingsolo.wiki import services as wiki
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of
from tests.support import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
COMPUTER = {"width": 1280, "height": 900}

WORDS = {
    "en": {
        "events": "Events",
        "wiki": "Wiki",
        "menu": "Menu",
        "calendar": "My calendar",
        "event": "Coffee and co-working",
        "page": "Tools we use",
        "not_found": "This page does not exist",
        "home": "Go to the home page",
        "back": "Back to the previous page",
        "see_more": "Log in",
    },
    "fr": {
        "events": "Événements",
        "wiki": "Wiki",
        "menu": "Menu",
        "calendar": "Mon agenda",
        "event": "Café et coworking",
        "page": "Tools we use",
        "not_found": "Cette page n’existe pas",
        "home": "Aller à l’accueil",
        "back": "Revenir à la page précédente",
        "see_more": "Connectez-vous",
    },
}

LONG_DESCRIPTION = " ".join(
    ["Going Solo began in Lausanne in 2008, as a one-day conference about working alone."] * 12
)


@pytest.fixture
def community(django_capture_on_commit_callbacks):
    """A busy group: a long description and rules, twenty threads, an event, a wiki page."""
    group = GroupFactory(
        name="Going Solo",
        slug="going-solo",
        visibility="public",
        description_en=LONG_DESCRIPTION,
        description_fr=LONG_DESCRIPTION,
        rules="\n".join(f"{n}. Be kind, and assume good faith." for n in range(1, 8)),
    )
    owner = member_of(group, Role.OWNER, display_name="Stephanie", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(20):
            discussions.thread_start(
                group=group,
                author=owner,
                title=f"Question number {number}",
                body="How do you organise your mornings?",
            )
        events.event_create(group=group, by=owner, announce=False, **event_fields())
        wiki.page_create(group=group, author=owner, title="Tools we use", body="A list.")
    return group, owner


def in_first_screen(page, locator):
    """LOCATOR shows without scrolling: inside the viewport as the page opens."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("device", ["phone", "computer"])
def test_a_newcomer_finds_the_events_and_the_wiki_from_the_group_page_in_one_click(
    live_server, new_page, screenshot, community, device, language
):
    group, _owner = community
    words = WORDS[language]
    newcomer = member_of(
        group, email=f"newcomer-{device}-{language}@example.org", language=language
    )
    base = live_server.url
    page = new_page(locale="fr-FR" if language == "fr" else "en-GB")
    page.set_viewport_size(PHONE if device == "phone" else COMPUTER)
    log_in(page, base, newcomer.email)

    page.goto(f"{base}/g/going-solo/")
    tabs = page.locator("nav.group-nav")
    events_tab = tabs.get_by_role("link", name=words["events"], exact=True)
    wiki_tab = tabs.get_by_role("link", name=words["wiki"], exact=True)
    assert in_first_screen(page, events_tab)
    assert in_first_screen(page, wiki_tab)
    # The threads come first: the rules are not on the group page.
    assert page.get_by_text("Be kind, and assume good faith.").count() == 0
    assert page.get_by_role("link", name="Question number 19").is_visible()
    screenshot(page, f"nav-{device}-{language}-01-group")

    events_tab.click()
    page.wait_for_url(f"{base}/g/going-solo/e/")
    assert page.get_by_role("link", name=words["event"]).first.is_visible()
    current = page.locator("nav.group-nav a[aria-current=page]")
    assert current.inner_text() == words["events"]
    screenshot(page, f"nav-{device}-{language}-02-events")

    page.locator("nav.group-nav").get_by_role("link", name=words["wiki"], exact=True).click()
    page.wait_for_url(f"{base}/g/going-solo/wiki/")
    assert page.get_by_role("link", name=words["page"]).first.is_visible()
    assert page.locator("nav.group-nav a[aria-current=page]").inner_text() == words["wiki"]
    screenshot(page, f"nav-{device}-{language}-03-wiki")

    # The header reaches "My calendar": in the row on a computer, from the menu on a phone.
    calendar = page.locator("header").get_by_role("link", name=words["calendar"])
    menu_button = page.locator("header summary")
    if device == "computer":
        assert not menu_button.is_visible()
        assert in_first_screen(page, calendar)
    else:
        assert menu_button.is_visible()
        assert not calendar.is_visible()
        header = page.locator("header.site-header").bounding_box()
        assert header["height"] < 80, "one row"
        menu_button.click()
        assert calendar.is_visible()
        screenshot(page, f"nav-{device}-{language}-04-menu")
    calendar.click()
    page.wait_for_url(f"{base}/events/calendar/")
    assert page.get_by_role("heading", level=1, name=words["calendar"]).is_visible()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_phone_menu_works_from_the_keyboard_and_without_javascript(
    live_server, browser, screenshot, community, language
):
    group, _owner = community
    words = WORDS[language]
    member = member_of(group, email=f"keyboard-{language}@example.org", language=language)
    base = live_server.url
    for javascript in (True, False):
        context = browser.new_context(
            locale="fr-FR" if language == "fr" else "en-GB",
            viewport=PHONE,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        log_in(page, base, member.email)
        page.goto(f"{base}/g/going-solo/")
        calendar = page.locator("header").get_by_role("link", name=words["calendar"])
        assert not calendar.is_visible()
        # Tab from the top of the page: the skip link, the brand, then the menu's button.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        page.keyboard.press("Enter")
        assert calendar.is_visible()
        assert page.locator("details.site-menu").get_attribute("open") is not None
        if javascript:
            page.keyboard.press("Escape")
            assert not calendar.is_visible()
            assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
            page.keyboard.press("Enter")
        else:
            screenshot(page, f"nav-phone-{language}-05-menu-without-javascript")
        calendar.click()
        page.wait_for_url(f"{base}/events/calendar/")
        context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("device", ["phone", "computer"])
def test_an_anonymous_visitor_gets_a_404_in_their_language_with_a_way_back(
    live_server, new_page, screenshot, community, device, language
):
    group, owner = community
    words = WORDS[language]
    base = live_server.url
    page = new_page(locale="fr-FR" if language == "fr" else "en-GB")
    page.set_viewport_size(PHONE if device == "phone" else COMPUTER)

    # The author's link on a thread leads somewhere the visitor may go: a short profile.
    page.goto(f"{base}/g/going-solo/")
    page.get_by_role("link", name="Question number 19").click()
    thread_url = page.url
    with page.expect_response(lambda response: "/members/" in response.url) as answer:
        page.locator(".post-meta").get_by_role("link", name=owner.display_name).first.click()
    assert answer.value.status == 200
    assert page.get_by_role("main").get_by_role("link", name=words["see_more"]).is_visible()

    # A dead link (a profile shown only to people who share a group with its member).
    hidden = member_of(GroupFactory(visibility="closed"), display_name="Hidden")
    answer = page.goto(f"{base}{hidden.get_absolute_url()}", referer=thread_url)
    assert answer.status == 404
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1, name=words["not_found"]).is_visible()
    # Styled: the site's stylesheet applies (the card of the error page has its border).
    assert (
        page.locator(".error-page").evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    )
    screenshot(page, f"nav-{device}-{language}-06-404")

    page.get_by_role("link", name=words["back"]).click()
    page.wait_for_url(f"{base}/g/going-solo/t/**")
    page.goto(f"{base}/g/going-solo/no-such-page/")
    page.get_by_role("link", name=words["home"]).click()
    page.wait_for_url(f"{base}/")
    assert group.name in page.content()

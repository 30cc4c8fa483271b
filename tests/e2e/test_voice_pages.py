"""The key pages in both languages, on a phone and a desktop, read in one voice
(docs/voice.md): an event's time as the style sheet writes it, registration questions in
the reader's language, French typography. Screenshots go to
test-results/screenshots/voice-*.png for a person to look at."""

import datetime
import re

import pytest

from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.groups.models import Role
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of

from . import test_profile_journey as profile_journey
from .test_profile_journey import DESKTOP, PHONE, logged_in, no_horizontal_scroll

# The profile journey's fixture: a page in a fresh context with a locale, a viewport and a
# time zone, that records console errors and failed requests.
open_page = profile_journey.open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NB = "\u00a0"
START = datetime.datetime(2030, 12, 5, 17, 30, tzinfo=datetime.UTC)  # Thursday, 18:30 Zurich
EXPECTED = {
    "en": {
        "when": "Thursday 5 December 2030, 18:30",
        "question": "What are you working on at the moment?",
        "attendees": "Registered (Europe/Zurich)",
    },
    "fr": {
        "when": f"jeudi 5 décembre 2030 à 18{NB}h{NB}30",
        "question": f"Sur quoi travaillez-vous en ce moment{NB}?",
        "attendees": "Inscription (Europe/Zurich)",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_key_pages_read_in_one_voice_on_a_phone_and_a_desktop(
    live_server, open_page, screenshot, language, width
):
    group = GroupFactory(name="Going Solo", slug="going-solo")
    organiser = member_of(
        group,
        Role.ADMIN,
        email="stephanie@example.org",
        display_name="Stéphanie Martin",
        language=language,
        time_zone="Europe/Zurich",
        spoken_languages=["fr", "en", "nb"],
    )
    event = events.event_create(
        group=group,
        by=organiser,
        **event_fields(
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=3),
            questions_en=["What are you working on at the moment?"],
            questions_fr=[f"Sur quoi travaillez-vous en ce moment{NB}?"],
        ),
    )
    discussions.post_reply(
        thread=event.announcement_thread,
        author=member_of(group, display_name="Tom Baker"),
        body="**Count me in!** See you there.",
    )
    viewport = PHONE if width == "phone" else DESKTOP
    page = logged_in(
        open_page,
        live_server.url,
        "stephanie@example.org",
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport=viewport,
        timezone_id="Europe/Zurich",
    )
    expected = EXPECTED[language]

    page.goto(live_server.url + event.get_absolute_url())
    body = page.locator("main").inner_text()
    assert expected["when"] in body
    assert expected["question"] in body
    assert no_horizontal_scroll(page)
    screenshot(page, f"voice-event-{language}-{width}")

    page.goto(f"{live_server.url}/g/going-solo/e/")
    assert expected["when"] in page.locator("main").inner_text()
    screenshot(page, f"voice-events-{language}-{width}")

    page.goto(f"{live_server.url}/g/going-solo/e/{event.pk}/attendees/")
    assert expected["attendees"] in page.locator("main").inner_text()
    screenshot(page, f"voice-attendees-{language}-{width}")

    page.goto(live_server.url + event.announcement_thread.get_absolute_url())
    screenshot(page, f"voice-thread-{language}-{width}")

    page.goto(f"{live_server.url}/notifications/")
    notifications = page.locator("main").inner_text()
    assert "**" not in notifications and "Count me in!" in notifications
    screenshot(page, f"voice-notifications-{language}-{width}")

    page.goto(f"{live_server.url}/profile/")
    languages = page.locator("main").inner_text()
    assert ("norvégien bokmål" if language == "fr" else "Norwegian Bokmål") in languages
    screenshot(page, f"voice-profile-{language}-{width}")
    assert page.errors == []
    if language == "fr":
        # The French pages keep the typography: no straight apostrophe in their words.
        assert not re.search(r"\w'\w", body + notifications)

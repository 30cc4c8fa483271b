"""An organiser creates an event with three seats; four members register, the fourth waits;
one cancels and the fourth gets the seat and an email (over real SMTP). A "would you come?"
reaches its threshold and becomes an event. Along the way: the agenda with recordings that
load only on a click, check-in on a phone, and the reach of a city."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from goingsolo.events import services
from goingsolo.events.models import Event, InterestCheck, Registration
from goingsolo.groups.models import Role
from tests.factories import GroupFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(new_page, base, user, **options):
    """A browser already logged in as USER (the session cookie of a logged-in client)."""
    client = Client()
    client.force_login(user)
    page = new_page(**options)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return page


def test_waiting_list_journey_and_interest_check_becoming_an_event(
    live_server, new_page, mail_sink, screenshot
):
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")
    admin = member_of(
        group, Role.ADMIN, display_name="Stephanie", email="stephanie@example.org", language="en"
    )
    names = ["Ana Martin", "Ben Okafor", "Chloé Rey", "Dan Whitaker"]
    members = [
        member_of(
            group,
            display_name=name,
            email=f"{name.split()[0].lower().replace('é', 'e')}@example.org",
            language="en",
            time_zone="Europe/London" if name.startswith("Dan") else "Europe/Zurich",
        )
        for name in names
    ]

    # The organiser creates a meetup with three seats.
    organiser = logged_in_page(new_page, base, admin)
    organiser.goto(f"{base}/g/going-solo/e/new/")
    day = (timezone.now() + timedelta(days=12)).strftime("%Y-%m-%d")
    organiser.select_option("select[name=kind]", "meetup")
    organiser.fill("input[name=title_en]", "Pricing clinic")
    organiser.fill("input[name=title_fr]", "Atelier : fixer ses prix")
    organiser.fill("textarea[name=description_en]", "Bring your rates; we compare and advise.")
    organiser.fill("input[name=time_zone]", "Europe/Zurich")
    organiser.fill("input[name=starts_at]", f"{day}T18:30")
    organiser.fill("input[name=ends_at]", f"{day}T21:00")
    organiser.fill("input[name=venue_name]", "La Forge")
    organiser.fill("input[name=address]", "Rue de Genève 17")
    organiser.fill("input[name=city]", "Lausanne")
    organiser.fill("input[name=capacity]", "3")
    organiser.get_by_role("button", name="Create the event").click()
    organiser.get_by_text("The event is created and announced in the group.").wait_for()
    event = Event.objects.get(title_en="Pricing clinic")
    assert event.capacity == 3 and event.announcement_thread is not None
    assert organiser.get_by_text("Europe/Zurich").first.is_visible()
    organiser.goto(f"{base}/g/going-solo/")
    organiser.locator(".events-section").get_by_role("link", name="Pricing clinic").wait_for()
    screenshot(organiser, "events-00-group-page")

    # Four members register; the fourth goes on the waiting list.
    pages = []
    for number, member in enumerate(members):
        page = logged_in_page(new_page, base, member)
        page.goto(f"{base}{event.get_absolute_url()}")
        button = "Join the waiting list" if number == 3 else "I’m going"
        page.get_by_role("button", name=button).click()
        if number < 3:
            page.get_by_text("You have a seat.", exact=True).wait_for()
        else:
            page.get_by_text("You are on the waiting list (number 1)").wait_for()
        pages.append(page)
    for member in members[:3]:
        mail_sink.wait_for(member.email, "You have a seat")
    mail_sink.wait_for(members[3].email, "You are on the waiting list")
    # Dan lives in London: he sees the time in his own zone too.
    assert pages[3].get_by_text("In your time zone (Europe/London)").is_visible()
    screenshot(pages[3], "events-01-event-page-waiting")

    # Ana cancels; Dan gets the seat and an email with the calendar file.
    pages[0].get_by_role("button", name="Cancel my seat").click()
    pages[0].get_by_text("Noted: you are not going.").wait_for()
    seat = mail_sink.wait_for("dan@example.org", "A seat freed up for you")
    assert any(part.get_filename() == "event.ics" for part in seat.message.iter_attachments())
    assert "/events/cancel/" in seat.text()
    pages[3].reload()
    pages[3].get_by_text("You have a seat.", exact=True).wait_for()
    statuses = dict(Registration.objects.filter(event=event).values_list("user__email", "status"))
    assert statuses["dan@example.org"] == "going" and statuses["ana@example.org"] == "not_going"
    organiser.goto(f"{base}{event.get_absolute_url()}")
    screenshot(organiser, "events-02-event-page-organiser")

    # Check-in on the day, on a phone: one tap per attendee, updated in place.
    phone = logged_in_page(new_page, base, admin)
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/g/going-solo/e/{event.pk}/check-in/")
    phone.get_by_role("button", name=re.compile("Ben Okafor")).click()
    phone.get_by_text("1 of 3 arrived").wait_for()
    phone.locator("#checkin-count").get_by_text("1 of 3 arrived").wait_for()
    assert Registration.objects.get(user=members[1]).checked_in_at is not None
    screenshot(phone, "events-03-check-in-phone")

    # A past conference: the agenda prints, recordings load only on a click.
    past = (timezone.now() - timedelta(days=40)).replace(hour=7, minute=0, second=0, microsecond=0)
    conference = services.event_create(
        group=group,
        by=admin,
        announce=False,
        kind="conference",
        title_en="Going Solo Lausanne",
        starts_at=past,
        ends_at=past + timedelta(hours=9),
        time_zone="Europe/Zurich",
        venue_name="Casino de Montbenon",
        city="Lausanne",
    )
    anna = services.speaker_save(
        event=conference, by=admin, name="Anna Lindqvist", bio="Freelance writer in Stockholm."
    )
    steph = services.speaker_save(event=conference, by=admin, name="", user=admin)
    for hours, title, url in [
        (1, "Getting known without selling your soul", "https://youtu.be/gS08LsnCm1A"),
        (2, "Fixer ses prix", "https://vimeo.com/28749362"),
        (3, "Breaking the isolation", "https://framatube.org/w/p3XkqVb7mZ2hT9sWcR4dNa"),
    ]:
        services.talk_save(
            event=conference,
            by=admin,
            title=title,
            language="fr" if "prix" in title else "en",
            starts_at=past + timedelta(hours=hours),
            ends_at=past + timedelta(hours=hours, minutes=45),
            room="Salle Paderewski",
            speakers=[anna] if hours != 2 else [steph, anna],
            recording_url=url,
        )
    viewer = pages[1]
    outside = []

    def keep_local(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    viewer.route("**/*", keep_local)
    viewer.goto(f"{base}{conference.get_absolute_url()}")
    viewer.get_by_text("Talks and recordings").wait_for()
    assert outside == [], outside
    assert viewer.locator("iframe").count() == 0
    screenshot(viewer, "events-04-past-conference")
    viewer.get_by_role("link", name="Play the video (from Vimeo)").click()
    viewer.locator("iframe[src^='https://player.vimeo.com/video/28749362']").wait_for(
        state="attached"
    )
    assert viewer.locator("iframe").count() == 1
    viewer.goto(f"{base}/g/going-solo/e/{conference.pk}/agenda/")
    viewer.get_by_role("heading", name="Speakers").wait_for()
    screenshot(viewer, "events-05-agenda")
    viewer.emulate_media(media="print")
    assert not viewer.locator(".site-header").is_visible()
    screenshot(viewer, "events-06-agenda-print")
    viewer.emulate_media(media="screen")
    viewer.get_by_role("link", name="Anna Lindqvist").first.click()
    viewer.get_by_text("Freelance writer in Stockholm.").wait_for()

    # Would you come to a barcamp in Lausanne? The reach first, then the question.
    for member, city in zip(members, ["Lausanne", "Genève", "Vevey", "Leeds"], strict=True):
        member.city = city
        member.save()
    admin.city = "Lausanne"
    admin.save()
    organiser.goto(f"{base}/g/going-solo/e/reach/?city=Lausanne&radius=60")
    organiser.get_by_role("heading", name=re.compile("^Lausanne")).wait_for()
    screenshot(organiser, "events-07-reach")
    organiser.goto(f"{base}/g/going-solo/e/checks/new/")
    organiser.select_option("select[name=kind]", "barcamp")
    organiser.fill("input[name=city]", "Lausanne")
    organiser.fill(
        "input[name=window_start]", (timezone.localdate() + timedelta(days=60)).isoformat()
    )
    organiser.fill(
        "input[name=window_end]", (timezone.localdate() + timedelta(days=120)).isoformat()
    )
    organiser.fill("input[name=threshold]", "2")
    organiser.get_by_role("button", name="Ask the members").click()
    organiser.get_by_text("Your question is open").wait_for()
    check = InterestCheck.objects.get()

    for page in (pages[1], pages[2]):
        page.goto(f"{base}{check.get_absolute_url()}")
        page.get_by_label("Yes, I would come").check()
        page.get_by_role("button", name="Answer").click()
        page.get_by_text("your answer is saved").wait_for()
    mail_sink.wait_for("stephanie@example.org", "Enough people would come to Lausanne")
    mail_sink.wait_for("ben@example.org", "Enough people would come to Lausanne")

    organiser.goto(f"{base}{check.get_absolute_url()}")
    organiser.get_by_text("2 yes of the 2 needed").wait_for()
    screenshot(organiser, "events-08-check-threshold")
    organiser.get_by_role("link", name="Turn it into an event").click()
    organiser.fill("input[name=title_fr]", "SoloCamp Lausanne")
    organiser.fill("input[name=capacity]", "40")
    organiser.get_by_role("button", name="Create the event").click()
    organiser.get_by_role("heading", name="SoloCamp Lausanne").wait_for()
    solocamp = Event.objects.get(title_fr="SoloCamp Lausanne")
    assert set(
        Registration.objects.filter(event=solocamp, status="going").values_list(
            "user__email", flat=True
        )
    ) == {"ben@example.org", "chloe@example.org"}
    registered = mail_sink.wait_for("ben@example.org", "you are registered")
    assert "/events/cancel/" in registered.text()
    organiser.goto(f"{base}{check.get_absolute_url()}")
    organiser.get_by_text("It became an event").wait_for()
    organiser.get_by_text("2 yes answers were registered: 2 still going").wait_for()
    screenshot(organiser, "events-09-check-converted")

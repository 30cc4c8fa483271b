"""The barcamp journey, in four browsers: Alice proposes a session from her phone, Bob
wants to attend it; Stéphanie, who organises, generates the grid and publishes it; the
board, open on the projector in another browser, shows the grid without reloading
(server-sent events); Alice writes notes on her session's page in the group's wiki.

Runs against uvicorn in the test process: the in-process live backend hears what the
request threads publish."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from goingsolo.barcamp import live as barcamp_live
from goingsolo.barcamp import services
from goingsolo.barcamp.models import Session
from goingsolo.core import live
from goingsolo.events import services as event_services
from goingsolo.groups.models import Membership, Role
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of
from tests.support import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MARK = "window.__notReloaded = true"
STILL_MARKED = "() => window.__notReloaded === true"


def wait_for_listeners(channel, count, timeout=15):
    deadline = time.monotonic() + timeout
    while live.get_backend().local_subscriber_count(channel) < count:
        assert time.monotonic() < deadline, f"{count} pages never listened to {channel}"
        time.sleep(0.05)


def test_participants_propose_and_vote_the_organiser_publishes_the_board_follows(
    asgi_server, new_page, screenshot
):
    base = asgi_server.url
    group = GroupFactory(name="Going Solo Leeds", slug="leeds", visibility="closed")
    stephanie = member_of(
        group, Role.ADMIN, email="stephanie@example.org", display_name="Stéphanie"
    )
    alice = member_of(group, email="alice@example.org", display_name="Alice Martin")
    bob = member_of(group, email="bob@example.org", display_name="Bob Smith")
    # Alice edits the wiki without review, as a member the group trusts.
    Membership.objects.filter(user=alice).update(approvals=3)
    start = (timezone.now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    event = event_services.event_create(
        group=group,
        by=stephanie,
        announce=False,
        **event_fields(
            kind="barcamp",
            title_en="SoloCamp Leeds",
            title_fr="SoloCamp Leeds",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            time_zone="Europe/London",
        ),
    )
    for person in (alice, bob):
        event_services.registration_set(event=event, user=person, status="going")
    for name, capacity in (("Main hall", 40), ("Kitchen", 12)):
        services.room_add(event=event, by=stephanie, name=name, capacity=capacity)
    for hour in range(3):
        services.slot_add(
            event=event,
            by=stephanie,
            starts_at=start + timedelta(hours=1 + hour),
            ends_at=start + timedelta(hours=1 + hour, minutes=45),
        )
    services.session_propose(
        event=event, by=bob, title="Saying no to clients", language="en", kind="discussion"
    )
    sessions_url = f"{base}/g/leeds/e/{event.pk}/barcamp/"

    # Alice proposes a session from her phone.
    alice_page = new_page(viewport=PHONE)
    log_in(alice_page, base, alice.email)
    alice_page.goto(sessions_url)
    alice_page.get_by_role("link", name="Propose a session").click()
    alice_page.fill("input[name=title]", "Pricing your work")
    alice_page.fill("textarea[name=description]", "Day rates, project rates, deposits.")
    alice_page.get_by_label("Workshop").check()
    screenshot(alice_page, "barcamp-01-propose-phone")
    alice_page.get_by_role("button", name="Propose", exact=True).click()
    alice_page.wait_for_url(re.compile(r".*/barcamp/s/\d+/$"))
    pricing = Session.objects.get(title="Pricing your work")

    # She adds a line to its description.
    alice_page.get_by_role("link", name="Change this session").click()
    alice_page.fill("textarea[name=description]", "Day rates, project rates, deposits, VAT.")
    screenshot(alice_page, "barcamp-01b-change-phone")
    alice_page.get_by_role("button", name="Save", exact=True).click()
    alice_page.get_by_text("Day rates, project rates, deposits, VAT.").wait_for()

    # Bob wants to attend it: the button turns without a reload (htmx).
    bob_page = new_page()
    log_in(bob_page, base, bob.email)
    bob_page.goto(sessions_url)
    bob_page.evaluate(MARK)
    wish = bob_page.locator(f"#wish-{pricing.pk} button")
    assert wish.get_attribute("aria-pressed") == "false"
    wish.click()
    bob_page.locator(f"#wish-{pricing.pk} button[aria-pressed=true]").wait_for()
    assert "2 want it" in bob_page.locator(f"#wish-{pricing.pk}").inner_text()
    assert bob_page.evaluate(STILL_MARKED)
    screenshot(bob_page, "barcamp-02-proposals-desktop")

    # The board is open on the projector, before anything is published.
    board = new_page(viewport={"width": 1600, "height": 900})
    log_in(board, base, stephanie.email)
    board.goto(f"{sessions_url}board/")
    board.locator(".board-empty").wait_for()
    board.evaluate(MARK)
    wait_for_listeners(barcamp_live.channel(event), 1)

    # Stéphanie generates the grid and publishes it.
    organiser = new_page()
    log_in(organiser, base, stephanie.email)
    organiser.goto(f"{sessions_url}grid/")
    organiser.get_by_role("button", name="Generate the grid").click()
    organiser.locator(".barcamp-grid .grid-session").first.wait_for()
    assert "0 missed sessions" in organiser.locator(".figures").inner_text()
    organiser.get_by_role("button", name="Publish", exact=True).click()
    organiser.get_by_text("The grid is published").first.wait_for()
    screenshot(organiser, "barcamp-03-grid-desktop")
    organiser.set_viewport_size(PHONE)
    screenshot(organiser, "barcamp-04-grid-phone")

    # The board shows the grid without a reload.
    board.locator(".board-table").get_by_text("Pricing your work").wait_for()
    assert board.evaluate(STILL_MARKED)
    assert "Kitchen" in board.locator(".board-table").inner_text()
    screenshot(board, "barcamp-05-board-projector")
    board.set_viewport_size(PHONE)
    screenshot(board, "barcamp-06-board-phone")

    # A late proposal shows on the organiser's grid without a reload.
    organiser.set_viewport_size(DESKTOP)
    organiser.evaluate(MARK)
    wait_for_listeners(barcamp_live.channel(event), 2)
    alice_page.goto(f"{sessions_url}propose/")
    alice_page.fill("input[name=title]", "Invoicing abroad")
    alice_page.fill("textarea[name=description]", "VAT, currencies, reminders.")
    alice_page.get_by_label("Workshop").check()
    alice_page.get_by_role("button", name="Propose", exact=True).click()
    alice_page.wait_for_url(re.compile(r".*/barcamp/s/\d+/$"))
    organiser.locator(".unplaced").get_by_role("link", name="Invoicing abroad").wait_for()
    assert organiser.evaluate(STILL_MARKED)

    # The agenda on the event page is the grid.
    bob_page.goto(f"{base}/g/leeds/e/{event.pk}/")
    assert "Pricing your work" in bob_page.locator("main").inner_text()

    # Bob's schedule on his phone, with the sessions he wants.
    bob_page.set_viewport_size(PHONE)
    bob_page.goto(f"{sessions_url}schedule/")
    assert "Pricing your work" in bob_page.locator(".my-schedule").inner_text()
    screenshot(bob_page, "barcamp-07-schedule-phone")

    # Alice writes notes on her session's page in the wiki.
    alice_page.goto(f"{base}{pricing.get_absolute_url()}")
    alice_page.get_by_role("link", name="Notes of this session (wiki)").click()
    alice_page.get_by_role("link", name="Edit").click()
    text = alice_page.locator("textarea[name=body]").input_value()
    alice_page.fill("textarea[name=body]", text + "\n\nAsk for 30 % before starting.")
    alice_page.get_by_role("button", name="Save", exact=True).click()
    alice_page.get_by_text("Ask for 30 % before starting.").wait_for()
    pricing.refresh_from_db()
    assert "Ask for 30 %" in pricing.notes_page.current_revision.body
    screenshot(alice_page, "barcamp-08-notes-phone")

    for page in (alice_page, bob_page, board, organiser):
        assert page.errors == []

"""An organiser cancels a meetup with a word to the people registered; a member sees it
cancelled in the group's list and on its page, and gets the news by email (over real SMTP)
with a calendar file that cancels it. The organiser then reinstates it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from goingsolo.events import services
from goingsolo.events.models import Event
from goingsolo.groups.models import Role
from tests.e2e.test_events_journey import logged_in_page
from tests.factories import GroupFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organiser_cancels_and_a_member_sees_it_cancelled(
    live_server, new_page, mail_sink, screenshot
):
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")
    admin = member_of(
        group, Role.ADMIN, display_name="Stephanie", email="stephanie@example.org", language="en"
    )
    ana = member_of(group, display_name="Ana Martin", email="ana@example.org", language="en")
    start = (timezone.now() + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    event = services.event_create(
        group=group,
        by=admin,
        kind="meetup",
        title_en="Pricing clinic",
        title_fr="Atelier : fixer ses prix",
        description_en="Bring your rates; we compare and advise.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Zurich",
        venue_name="La Forge",
        address="Rue de Genève 17",
        city="Lausanne",
        capacity=12,
    )
    services.registration_set(event=event, user=ana, status="going")
    mail_sink.wait_for("ana@example.org", "You have a seat")

    # The organiser cancels from the event page, through the confirmation page.
    organiser = logged_in_page(new_page, base, admin)
    organiser.goto(f"{base}{event.get_absolute_url()}")
    organiser.get_by_role("link", name="Cancel the event").click()
    organiser.get_by_text("The 1 person registered (going, waiting or interested)").wait_for()
    organiser.get_by_label("Message to the people registered (optional)").fill(
        "La Forge is closed for repairs that week. We will set a new date soon."
    )
    screenshot(organiser, "events-cancel-00-confirmation")
    organiser.get_by_role("button", name="Yes, cancel the event").click()
    organiser.get_by_text(
        "The event is cancelled. Everyone registered is told by email."
    ).wait_for()
    organiser.get_by_role("heading", name="This event is cancelled").wait_for()
    assert organiser.get_by_role("button", name="Reinstate the event").is_visible()
    screenshot(organiser, "events-cancel-01-organiser")
    assert Event.objects.get(pk=event.pk).is_cancelled

    # The member is told by email, with a calendar file that cancels the event…
    news = mail_sink.wait_for("ana@example.org", "Cancelled: Pricing clinic")
    assert "La Forge is closed for repairs that week." in news.text()
    [ics] = [part for part in news.message.iter_attachments() if part.get_filename() == "event.ics"]
    assert "METHOD:CANCEL" in ics.get_content()

    # …and sees it cancelled in the group's list and on its page, with nothing to click.
    member = logged_in_page(new_page, base, ana)
    member.goto(f"{base}/g/going-solo/e/")
    card = member.locator(".event-card", has_text="Pricing clinic")
    card.locator(".badge.cancelled", has_text="Cancelled").wait_for()
    screenshot(member, "events-cancel-02-member-list")
    card.get_by_role("link", name="Pricing clinic").click()
    member.get_by_role("heading", name="This event is cancelled").wait_for()
    member.get_by_text("La Forge is closed for repairs that week.").wait_for()
    member.get_by_text("Your registration is kept in case the event is reinstated.").wait_for()
    assert member.get_by_role("button", name="I’m going").count() == 0
    screenshot(member, "events-cancel-03-member-page")

    # The announcement discussion says it too.
    member.get_by_role("link", name="Discuss this event in the group").click()
    member.get_by_text("This event is cancelled.").first.wait_for()

    # Back on: the organiser reinstates it, the member keeps her seat and is told.
    organiser.get_by_role("button", name="Reinstate the event").click()
    organiser.get_by_text("The event is back on.").wait_for()
    mail_sink.wait_for("ana@example.org", "Back on: Pricing clinic")
    member.goto(f"{base}{event.get_absolute_url()}")
    member.get_by_text("You have a seat.", exact=True).wait_for()

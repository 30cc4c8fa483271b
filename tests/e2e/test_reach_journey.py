"""An organiser asks "would you come?"; one member answers on the web, another by replying
"oui" to the email the mailing list sent (real SMTP both ways: the sink, then the inbound
store); the organiser reads the forecast from the group's past check-ins, with the map and
the chart, and turns the question into an event."""

import re
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.test import Client
from django.utils import timezone

from goingsolo.events import services
from goingsolo.events.models import Event, InterestAnswer, InterestCheck, Registration
from goingsolo.groups.models import Role
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.models import Delivery
from goingsolo.mail.outbound.services import subscription_set_delivery
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of
from tests.mail.inbound_support import gmail_french_reply, signed_by_sender

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(new_page, base, user):
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return page


def test_a_check_answered_on_the_web_and_by_email_then_forecast_and_converted(
    live_server, new_page, mail_sink, screenshot, settings
):
    settings.GOINGSOLO_MAIL_DOMAIN = "lists.example.org"
    base = live_server.url
    group = GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")
    admin = member_of(
        group, Role.ADMIN, display_name="Stephanie", email="stephanie@example.org", city="Lausanne"
    )
    ana = member_of(
        group, display_name="Ana", email="ana@example.org", language="fr", city="Genève"
    )
    subscription_set_delivery(user=ana, group=group, delivery=Delivery.EVERY)
    ben = member_of(group, display_name="Ben", email="ben@example.org", city="Vevey")
    # History: a past meetup where two of three people with a seat were checked in.
    past = services.event_create(group=group, by=admin, announce=False, **event_fields())
    for member in (admin, ana, ben):
        services.registration_set(event=past, user=member, status="going", notify=False)
    for member in (admin, ana):
        services.check_in(registration=past.registrations.get(user=member), by=admin)
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=200), ends_at=timezone.now() - timedelta(days=199)
    )

    # The organiser asks.
    organiser = logged_in_page(new_page, base, admin)
    organiser.goto(f"{base}/g/going-solo/e/checks/new/")
    organiser.select_option("select[name=kind]", "barcamp")
    organiser.fill("input[name=city]", "Lausanne")
    organiser.fill(
        "input[name=window_start]", (timezone.localdate() + timedelta(days=60)).isoformat()
    )
    organiser.fill(
        "input[name=window_end]", (timezone.localdate() + timedelta(days=90)).isoformat()
    )
    organiser.fill("input[name=threshold]", "2")
    organiser.get_by_role("button", name="Ask the members").click()
    organiser.get_by_text("Your question is open").wait_for()
    check = InterestCheck.objects.get()
    assert check.announcement_thread is not None

    # Ana gets the question by email (mailing-list mode): the thread's title, as the
    # organiser wrote it, framed in French, with her one-click answers.
    asked = mail_sink.wait_for("ana@example.org", "Would you come? Barcamp in Lausanne")
    assert "Répondre en un clic" in asked.text()
    assert "/events/would-you-come/" in asked.text()

    # Ben answers on the web.
    page = logged_in_page(new_page, base, ben)
    page.goto(f"{base}{check.get_absolute_url()}")
    page.get_by_label("Yes, I would come").check()
    page.get_by_role("button", name="Answer").click()
    page.get_by_text("your answer is saved").wait_for()

    # Ana replies "Oui !" to the email.
    reply_to = parseaddr(str(asked["Reply-To"]))[1]
    message = gmail_french_reply(
        sender="ana@example.org", to=reply_to, subject=str(asked["Subject"]), new_text="Oui !"
    )
    stored = inbound_store(
        raw=signed_by_sender(message.as_bytes()), mail_from="ana@example.org", recipients=[reply_to]
    )
    stored.refresh_from_db()
    assert stored.status == "processed", stored.note
    assert InterestAnswer.objects.get(user=ana).source == "email"
    mail_sink.wait_for("ana@example.org", "C’est noté")

    # The organiser reads the forecast: two yes, and history says one or two would come.
    organiser.goto(f"{base}{check.get_absolute_url()}")
    organiser.get_by_text("2 yes of the 2 needed").wait_for()
    organiser.get_by_role("link", name="Reach of this city").click()
    organiser.get_by_role("heading", name=re.compile("^Lausanne")).wait_for()
    organiser.get_by_text(re.compile(r"Of 2 yes today, between 1 and 2 would come")).wait_for()
    assert organiser.locator("svg.reach-map circle.dot.near").count() == 3
    assert organiser.locator("svg.turnout-chart rect.forecast").count() == 1
    screenshot(organiser, "reach-01-forecast")

    # And turns the question into an event: both are registered.
    organiser.goto(f"{base}{check.get_absolute_url()}")
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
    ) == {"ana@example.org", "ben@example.org"}

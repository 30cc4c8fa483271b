"""Organisers: attendees with their answers, CSV export, check-in, messages to attendees."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from goingsolo.events import services
from goingsolo.events.models import EventMessage, Registration
from goingsolo.events.views.organisers import csv_safe
from goingsolo.groups.models import Role
from tests.events.conftest import event_fields
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_event):
    return make_event(capacity=2, questions_en=["What do you do?"])


def test_the_creator_and_the_groups_admins_organise_and_others_do_not(
    client, group, event, organiser
):
    creator = member_of(group, Role.MODERATOR)
    own = services.event_create(group=group, by=creator, announce=False, **event_fields())
    plain = member_of(group)
    url = reverse("events:attendees", args=[group.slug, own.pk])
    for person, status in ((creator, 200), (organiser, 200), (plain, 403)):
        client.force_login(person)
        assert client.get(url).status_code == status
    client.force_login(creator)
    assert client.get(reverse("events:attendees", args=[group.slug, event.pk])).status_code == 403


def test_the_attendee_list_shows_answers_and_the_waiting_list(
    client, group, event, organiser, register
):
    ana = member_of(group, display_name="Ana Designer")
    bob = member_of(group, display_name="Bob Builder")
    cy = member_of(group, display_name="Cy Waiting")
    register(event, ana, answers={0: "Illustration for children's books"})
    register(event, bob, answers={0: "Carpentry"})
    register(event, cy)
    client.force_login(organiser)
    page = client.get(reverse("events:attendees", args=[group.slug, event.pk])).text
    assert "Illustration for children&#x27;s books" in page and "Carpentry" in page
    assert page.index("Ana Designer") < page.index("Cy Waiting")
    assert "On the waiting list" in page


def test_the_csv_export_is_safe_against_formulas(client, group, event, organiser, register):
    sneaky = member_of(group, display_name='=HYPERLINK("http://evil.example","click")')
    register(event, sneaky, answers={0: "+1+cmd|' /C calc'!A0"})
    register(event, member_of(group, display_name="@SUM(A1:A2)"), answers={0: "-2"})
    client.force_login(organiser)
    response = client.get(reverse("events:attendees_csv", args=[group.slug, event.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "What do you do?"
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+1+cmd|' /C calc'!A0" in cells
    assert "'@SUM(A1:A2)" in cells and "'-2" in cells
    assert not any(cell and cell[0] in "=+-@" for cell in cells)


def test_the_csv_and_the_attendee_list_give_times_in_the_events_zone_and_name_it(
    client, group, organiser, make_event, register
):
    event = make_event(time_zone="America/Toronto")
    ana = member_of(group, display_name="Ana Designer")
    registration = register(event, ana)
    registered = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # 18:30 in Toronto
    arrived = datetime(2026, 12, 4, 1, 5, tzinfo=UTC)  # 20:05 in Toronto
    Registration.objects.filter(pk=registration.pk).update(
        created_at=registered, checked_in_at=arrived
    )
    client.force_login(organiser)  # who lives in UTC: the page and the file say Toronto
    response = client.get(reverse("events:attendees_csv", args=[group.slug, event.pk]))
    header, row = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert header[4:6] == ["Registered (America/Toronto)", "Checked in (America/Toronto)"]
    assert row[4:6] == ["2026-12-03 18:30", "2026-12-03 20:05"]
    page = client.get(reverse("events:attendees", args=[group.slug, event.pk])).text
    assert "Registered (America/Toronto)" in page
    assert "3 Dec 2026, 18:30" in page


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-x", "'-x"),
        ("@me", "'@me"),
        ("Léa", "Léa"),
        ("", ""),
    ],
)
def test_csv_cells_that_start_like_a_formula_are_prefixed(value, safe):
    assert csv_safe(value) == safe


def test_check_in_is_one_tap_per_attendee_with_htmx(client, group, event, organiser, register):
    ana = member_of(group, display_name="Ana")
    register(event, ana)
    registration = Registration.objects.get(user=ana)
    client.force_login(organiser)
    page = client.get(reverse("events:checkin", args=[group.slug, event.pk])).text
    assert 'name="viewport"' in page and "checkin-button" in page
    url = reverse("events:checkin_toggle", args=[group.slug, event.pk, registration.pk])
    response = client.post(url, {"present": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Arrived" in response.text and 'hx-swap-oob="true"' in response.text
    assert "1 of 1 arrived" in response.text
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    client.post(url, {"present": "0"})  # without JavaScript: a plain form, then back
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_refused_check_in_is_said_in_the_row_not_on_the_next_page(
    client, group, event, organiser, register
):
    ana = member_of(group, display_name="Ana")
    register(event, ana)
    registration = Registration.objects.get(user=ana)
    register(event, ana, status="not_going")  # between the page and the tap: no seat any more
    client.force_login(organiser)
    url = reverse("events:checkin_toggle", args=[group.slug, event.pk, registration.pk])
    response = client.post(url, {"present": "1"}, headers={"HX-Request": "true"})
    assert 'role="alert">Only people with a seat can be checked in.</p>' in response.text
    assert "0 of 0 arrived" in response.text
    page = client.get(reverse("events:checkin", args=[group.slug, event.pk])).text
    assert "Only people with a seat can be checked in." not in page
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    response = client.post(url, {"present": "1"}, follow=True)  # without JavaScript
    assert "Only people with a seat can be checked in." in response.text


def test_only_organisers_check_in(group, event, register):
    ana = member_of(group)
    register(event, ana)
    with pytest.raises(PermissionDenied):
        services.check_in(registration=Registration.objects.get(user=ana), by=member_of(group))


def test_message_all_attendees_reaches_each_in_their_own_language(
    client, group, event, organiser, register, django_capture_on_commit_callbacks
):
    french = member_of(group, language="fr", email="fr@example.org", time_zone="Europe/Paris")
    english = member_of(group, language="en", email="en@example.org")
    waiting = member_of(group, email="waiting@example.org")
    for member in (french, english, waiting):
        register(event, member)
    mail.outbox.clear()
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:message", args=[group.slug, event.pk]),
            {"subject": "Room change", "body": "We moved to the second floor."},
            follow=True,
        )
    assert "on its way to 2 attendees" in response.text
    assert EventMessage.objects.get().recipient_count == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"fr@example.org", "en@example.org"}
    for message in by_address.values():
        assert "Room change" in message.subject
        assert "We moved to the second floor." in message.body
    assert "Envoyé par Stephanie" in by_address["fr@example.org"].body
    assert "Sent by Stephanie" in by_address["en@example.org"].body

"""Editing an event keeps its announcement true: the thread takes the new title, a reply
says what changed, and the people registered are emailed a new time or venue (in their
language and time zone, with an updated calendar file)."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from goingsolo.core.dates import format_when
from goingsolo.events import calendars, services
from goingsolo.events.models import Event
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(django_capture_on_commit_callbacks, organiser):
    def run(event, by=None, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return services.event_update(event=event, by=by or organiser, **fields)

    return run


@pytest.fixture
def registered(make_event, register, group):
    """An event with one seat: one going, one waiting, one interested, one not going."""
    event = make_event(capacity=1)
    people = {
        "going": member_of(group, email="going@example.org", time_zone="America/Toronto"),
        "waiting": member_of(group, email="waiting@example.org"),
        "interested": member_of(group, email="interested@example.org"),
        "gone": member_of(group, email="gone@example.org"),
    }
    register(event, people["going"])
    register(event, people["waiting"])
    register(event, people["interested"], "interested")
    register(event, people["gone"], "interested")
    register(event, people["gone"], "not_going")
    mail.outbox.clear()
    return event, people


def replies(event):
    return list(event.announcement_thread.posts.filter(position__gt=1).order_by("position"))


def test_a_new_title_renames_the_thread_and_a_reply_says_so(registered, update, organiser):
    event, _people = registered
    update(event, title_en="Coffee, co-working and croissants")
    thread = event.announcement_thread
    thread.refresh_from_db()
    assert thread.title == "Coffee, co-working and croissants"
    [reply] = replies(event)
    assert reply.author == organiser
    assert reply.body.splitlines()[0] == "New title: Coffee, co-working and croissants"
    assert event.get_absolute_url() in reply.body
    assert mail.outbox == []  # a title is no news worth an email


def test_a_new_time_is_posted_and_emailed_to_everyone_registered_with_an_updated_calendar(
    registered, update
):
    event, _people = registered
    new_start = event.starts_at + timedelta(days=1, hours=2)

    update(event, starts_at=new_start, ends_at=new_start + timedelta(hours=3))

    event.refresh_from_db()
    assert event.sequence == 1
    local = new_start.astimezone(event.zone)
    [reply] = replies(event)
    end = local + timedelta(hours=3)
    end_style = "time" if end.date() == local.date() else "long_datetime"
    assert reply.body.splitlines()[0] == (
        f"New time: {format_when(local, 'long_datetime')} – {format_when(end, end_style)}"
        " (Europe/Zurich)"
    )
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"going@example.org", "waiting@example.org", "interested@example.org"}
    going = by_address["going@example.org"]
    assert going.subject == "Changed: Coffee and co-working"
    assert "Coffee and co-working (Going Solo) has a new time." in going.body
    assert "Before:" in going.body
    assert "in your time zone (America/Toronto)" in going.body
    [(name, content, mimetype)] = going.attachments
    assert (name, mimetype) == ("event.ics", "text/calendar; method=PUBLISH")
    [vevent] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["UID"]) == calendars.event_uid(event)
    assert int(vevent["SEQUENCE"]) == 1 and vevent.DTSTART == event.starts_at
    assert by_address["waiting@example.org"].attachments == []  # no seat, no calendar file


def test_a_new_venue_is_posted_and_emailed(registered, update):
    event, _people = registered
    update(event, venue_name="Café Romand", address="Place Saint-François 2")
    [reply] = replies(event)
    assert reply.body.splitlines()[0] == (
        "New venue: Café Romand, Place Saint-François 2, Lausanne"
    )
    message = next(m for m in mail.outbox if m.to == ["going@example.org"])
    assert "has a new venue." in message.body
    assert "Before: La Forge, Rue de Genève 17, Lausanne" in message.body
    assert "Café Romand" in message.body


def test_a_new_online_link_goes_to_the_people_with_a_seat_and_never_into_the_thread(
    make_event, register, group, update
):
    event = make_event(kind="online", online_url="https://meet.example.org/old", capacity=1)
    seated, waiting = member_of(group, email="seat@example.org"), member_of(group)
    register(event, seated)
    register(event, waiting)
    mail.outbox.clear()

    update(event, online_url="https://meet.example.org/new")

    [reply] = replies(event)
    assert "meet.example.org" not in reply.body
    assert reply.body.splitlines()[0] == (
        "New online link: people with a seat find it on the event page."
    )
    [message] = mail.outbox
    assert message.to == ["seat@example.org"]
    assert "has a new online link." in message.body
    assert "https://meet.example.org/new" in message.body


def test_other_changes_post_and_send_nothing(registered, update):
    event, _people = registered
    update(event, description_en="Bring a laptop.", capacity=5, questions_en=["Your trade?"])
    assert replies(event) == []
    assert not any(m.subject.startswith("Changed") for m in mail.outbox)
    assert Event.objects.get(pk=event.pk).sequence == 0


def test_saving_the_form_unchanged_posts_nothing(client, group, organiser, registered):
    event, _people = registered
    client.force_login(organiser)
    url = reverse("events:edit", args=[group.slug, event.pk])
    form = client.get(url).context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data["starts_at"] = form["starts_at"].value().strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = form["ends_at"].value().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data, follow=True)
    assert "The event is saved." in response.text
    assert replies(event) == []
    assert mail.outbox == []


def test_editing_on_the_web_announces_the_new_time(
    client, group, organiser, registered, django_capture_on_commit_callbacks
):
    event, _people = registered
    client.force_login(organiser)
    url = reverse("events:edit", args=[group.slug, event.pk])
    form = client.get(url).context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data["starts_at"] = "2031-06-05T18:30"
    data["ends_at"] = "2031-06-05T21:00"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    [reply] = replies(event)
    assert (
        reply.body.splitlines()[0]
        == "New time: Thursday 5 June 2031, 18:30 – 21:00 (Europe/Zurich)"
    )
    assert {m.to[0] for m in mail.outbox} == {
        "going@example.org",
        "waiting@example.org",
        "interested@example.org",
    }


def test_a_cancelled_event_that_changes_is_not_emailed_until_it_is_back_on(
    registered, update, organiser, django_capture_on_commit_callbacks
):
    event, _people = registered
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, by=organiser)
    mail.outbox.clear()
    new_start = event.starts_at + timedelta(days=7)
    update(event, starts_at=new_start, ends_at=new_start + timedelta(hours=3))
    assert mail.outbox == []
    assert replies(event)[-1].body.startswith("New time:")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_reinstate(event=event, by=organiser)
    back = next(m for m in mail.outbox if m.to == ["going@example.org"])
    assert back.subject.startswith("Back on")
    [vevent] = icalendar.Calendar.from_ical(back.attachments[0][1]).walk("VEVENT")
    assert vevent.DTSTART == new_start


def test_the_replies_follow_the_language_of_a_french_announcement(group, make_event, update):
    french_organiser = member_of(group, role="admin", language="fr", display_name="Léa")
    event = make_event(
        by=french_organiser, title_en="", description_en="", title_fr="Apéro des indépendants"
    )
    event.announcement_thread.refresh_from_db()
    assert event.announcement_thread.language == "fr"

    update(event, by=french_organiser, title_fr="Apéro des indépendantes et indépendants")
    update(event, by=french_organiser, venue_name="Le Bourg")

    thread = event.announcement_thread
    thread.refresh_from_db()
    assert thread.title == "Apéro des indépendantes et indépendants"
    first, second = replies(event)
    assert first.body.startswith("Nouveau titre\u00a0: Apéro des indépendantes et indépendants")
    assert second.body.startswith("Nouveau lieu\u00a0: Le Bourg, Rue de Genève 17, Lausanne")
    assert first.language == second.language == "fr"


def test_an_english_member_reads_the_news_of_a_french_event_in_english(
    group, make_event, register, update
):
    event = make_event(title_en="", title_fr="Apéro")
    english = member_of(group, language="en", email="en@example.org")
    register(event, english)
    mail.outbox.clear()
    update(event, venue_name="Le Bourg")
    [message] = mail.outbox
    assert message.subject == "Changed: Apéro"
    assert "has a new venue." in message.body

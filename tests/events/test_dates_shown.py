"""An event's time on its page, in lists and in its emails, as each language writes it
(docs/voice.md): in English "Thursday 5 December 2030, 18:30", in French "jeudi 5 décembre
2030 à 18 h 30", in the event's zone and named."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import member_of

pytestmark = pytest.mark.django_db

NB = "\u00a0"
START = datetime.datetime(2030, 12, 5, 17, 30, tzinfo=datetime.UTC)  # 18:30 in Zurich


@pytest.fixture
def event(make_event):
    return make_event(starts_at=START, ends_at=START + datetime.timedelta(hours=3))


def page_for(client, person, url):
    client.force_login(person)
    return client.get(url).text


def test_the_event_page_writes_the_time_in_the_readers_language(client, group, event):
    english = page_for(client, member_of(group, language="en", time_zone="Europe/Zurich"),
                       event.get_absolute_url())  # fmt: skip
    french = page_for(client, member_of(group, language="fr", time_zone="Europe/Zurich"),
                      event.get_absolute_url())  # fmt: skip
    assert "Thursday 5 December 2030, 18:30</time> –" in english
    assert "21:30</time>" in english
    assert f"jeudi 5 décembre 2030 à 18{NB}h{NB}30</time> –" in french
    assert f"21{NB}h{NB}30</time>" in french


def test_a_reader_in_another_zone_also_sees_their_own_time(client, group, event):
    page = page_for(client, member_of(group, language="fr", time_zone="America/Toronto"),
                    event.get_absolute_url())  # fmt: skip
    assert (
        f"Dans votre fuseau horaire (America/Toronto){NB}: jeudi 5 décembre 2030 à "
        f"12{NB}h{NB}30 – 15{NB}h{NB}30"
    ) in page


def test_event_lists_use_the_same_formats(client, group, event):
    url = reverse("events:group_events", args=[group.slug])
    english = page_for(client, member_of(group, language="en"), url)
    french = page_for(client, member_of(group, language="fr"), url)
    assert '<span class="day">5</span> <span class="month">Dec</span>' in english
    assert "Thursday 5 December 2030, 18:30</time> (Europe/Zurich)" in english
    assert '<span class="day">5</span> <span class="month">déc.</span>' in french
    assert f"jeudi 5 décembre 2030 à 18{NB}h{NB}30</time> (Europe/Zurich)" in french


def test_the_confirmation_email_writes_the_time_in_the_recipients_language(group, event, register):
    register(event, member_of(group, language="en", time_zone="Europe/Zurich", email="en@x.org"))
    register(event, member_of(group, language="fr", time_zone="Europe/Zurich", email="fr@x.org"))
    sent = {message.to[0]: message for message in mail.outbox}
    assert "When: Thursday 5 December 2030, 18:30 – 21:30 (Europe/Zurich)" in sent["en@x.org"].body
    assert (
        f"Quand{NB}: jeudi 5 décembre 2030 à 18{NB}h{NB}30 – 21{NB}h{NB}30 (Europe/Zurich)"
        in sent["fr@x.org"].body
    )

"""Questions asked at registration, like the event's title: in English and/or French, each
person asked in their language, the answers lined up for the organisers whatever the
language they were given in."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from goingsolo.events.models import Event as Migrated
from tests.events.test_bad_input import form_data
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

ENGLISH = ["What do you do?", "Any food allergy?"]
FRENCH = ["Que faites-vous\u00a0?", "Une allergie alimentaire\u00a0?"]


def registration_page(client, event, person):
    client.force_login(person)
    return client.get(event.get_absolute_url()).text


def test_each_person_is_asked_the_questions_in_their_language(client, group, make_event):
    event = make_event(questions_en=ENGLISH, questions_fr=FRENCH)
    english_page = registration_page(client, event, member_of(group, language="en"))
    french_page = registration_page(client, event, member_of(group, language="fr"))
    assert "What do you do?" in english_page and "Que faites-vous" not in english_page
    assert "Que faites-vous\u00a0?" in french_page and "What do you do?" not in french_page


def test_questions_given_in_one_language_are_asked_of_everyone(client, group, make_event):
    event = make_event(questions_en=["What do you do?"])
    french_page = registration_page(client, event, member_of(group, language="fr"))
    assert "What do you do?" in french_page


def test_answers_given_in_both_languages_line_up_on_the_attendee_list_and_in_the_csv(
    client, group, make_event, organiser, register
):
    event = make_event(questions_en=ENGLISH, questions_fr=FRENCH)
    lea = member_of(group, display_name="Léa Fournier", language="fr")
    tom = member_of(group, display_name="Tom Baker", language="en")
    client.force_login(lea)
    client.post(
        reverse("events:register", args=[group.slug, event.pk]),
        {"status": "going", "answer_0": "Traductrice", "answer_1": "Arachides"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    register(event, tom, answers={0: "Carpenter", 1: "None"})
    assert lea.event_registrations.get().answers[0]["question"] == "Que faites-vous\u00a0?"

    client.force_login(organiser)  # reads English
    page = client.get(reverse("events:attendees", args=[group.slug, event.pk])).text
    assert page.index("What do you do?") < page.index("Any food allergy?")
    assert page.index("Traductrice") < page.index("Arachides")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("events:attendees_csv", args=[group.slug, event.pk])
                ).content.decode("utf-8-sig")
            )
        )
    )
    header, *people = rows
    assert header[-2:] == ENGLISH
    answers = {row[0]: row[-2:] for row in people}
    assert answers == {
        "Léa Fournier": ["Traductrice", "Arachides"],
        "Tom Baker": ["Carpenter", "None"],
    }


def test_a_returning_person_finds_their_answers_in_the_other_language(
    client, group, make_event, register
):
    event = make_event(questions_en=ENGLISH, questions_fr=FRENCH)
    member = member_of(group, language="en")
    register(event, member, "interested", answers={0: "Translator", 1: ""})
    member.language = "fr"
    member.save()
    page = registration_page(client, event, member)
    assert "Que faites-vous\u00a0?" in page and "Translator" in page


def test_the_event_form_asks_for_the_questions_in_both_languages(client, group, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("events:create", args=[group.slug]),
        form_data(
            questions_en="What do you do?\n\nAny food allergy?\n",
            questions_fr="Que faites-vous ?\nUne allergie alimentaire ?",
        ),
    )
    assert response.status_code == 302
    event = group.events.get()
    assert event.questions_en == ENGLISH
    assert event.questions_fr == ["Que faites-vous ?", "Une allergie alimentaire ?"]
    form = client.get(reverse("events:edit", args=[group.slug, event.pk])).text
    assert "Questions asked at registration, in French" in form
    assert "Une allergie alimentaire ?</textarea>" in form


def test_questions_that_do_not_pair_up_are_refused_and_nothing_is_saved(client, group, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("events:create", args=[group.slug]),
        form_data(
            questions_en="What do you do?\nAny food allergy?", questions_fr="Que faites-vous ?"
        ),
    )
    assert response.status_code == 200
    assert "Give as many questions in French as in English" in response.text
    assert "What do you do?\nAny food allergy?</textarea>" in response.text
    assert not group.events.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_questions_in_the_organisers_language(latest_schema_after):
    executor = MigrationExecutor(connection)
    before = [("events", "0002_event_cancel_delete")]
    after = [("events", "0003_event_questions_in_both_languages")]
    executor.migrate(before)
    Event = executor.loader.project_state(before).apps.get_model("events", "Event")
    # People and groups are today's: only the events table went back.
    group = GroupFactory()
    french = UserFactory(language="fr")
    unknown = UserFactory(language="")
    start = timezone.now() + timedelta(days=3)
    common = {
        "group_id": group.pk,
        "kind": "meetup",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "time_zone": "UTC",
    }
    by_french = Event.objects.create(
        title_en="Coffee", created_by_id=french.pk, questions=["Que faites-vous ?"], **common
    )
    titled_in_french = Event.objects.create(
        title_fr="Apéro", created_by_id=unknown.pk, questions=["Votre métier ?"], **common
    )
    english = Event.objects.create(
        title_en="Drinks", created_by_id=unknown.pk, questions=["Your trade?"], **common
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    questions = {
        event.pk: (event.questions_en, event.questions_fr)
        for event in Migrated.all_objects.filter(group=group)
    }
    assert questions == {
        by_french.pk: ([], ["Que faites-vous ?"]),
        titled_in_french.pk: ([], ["Votre métier ?"]),
        english.pk: (["Your trade?"], []),
    }


@pytest.fixture
def latest_schema_after():
    """Back to the latest schema once the test is over, whatever it asserted: going back to
    events 0002 undid every later migration that depends on it (other apps' too), and the
    tests after this one, on the same database, expect them."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

"""The interest check ("would you come?"), the reach of a city, and the conversion."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goingsolo.events import selectors, services
from goingsolo.events.emails import cancel_token
from goingsolo.events.models import InterestCheck, Registration
from goingsolo.groups.models import Role
from tests.events.conftest import event_fields, open_interest_check
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(group, organiser):
    return open_interest_check(
        group,
        organiser,
        country="CH",
        days=(60, 120),
        threshold=3,
        note="Un SoloCamp francophone, un samedi.",
    )


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    def run(check, user, value, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.interest_answer(check=check, user=user, answer=value, **kwargs)

    return run


def test_reaching_the_threshold_tells_the_organiser_and_the_yes_voters_once(
    group, organiser, check, answer
):
    yes = [member_of(group, email=f"yes{n}@example.org") for n in range(4)]
    maybe, no = member_of(group), member_of(group)
    answer(check, maybe, "maybe")
    answer(check, no, "no")
    answer(check, yes[0], "yes")
    answer(check, yes[1], "yes")
    assert mail.outbox == []

    answer(check, yes[2], "yes", from_city="Genève")

    told = sorted(message.to[0] for message in mail.outbox)
    assert told == sorted([organiser.email, *(p.email for p in yes[:3])])
    organiser_mail = next(m for m in mail.outbox if m.to == [organiser.email])
    assert "turn it into an event" in organiser_mail.body
    mail.outbox.clear()
    answer(check, yes[3], "yes")
    answer(check, yes[0], "maybe")
    answer(check, yes[0], "yes")
    assert mail.outbox == []
    check.refresh_from_db()
    assert (check.yes_count, check.maybe_count, check.no_count) == (4, 1, 1)
    assert check.threshold_reached_at is not None


def test_answers_by_city_and_country_use_the_profile_when_no_city_is_given(group, check, answer):
    answer(check, member_of(group, city="Lausanne", country="CH"), "yes")
    answer(check, member_of(group, city="Leeds", country="GB"), "yes", from_city="Geneva")
    answer(check, member_of(group, city="Paris", country="FR"), "maybe")
    answer(check, member_of(group, city="Montréal", country="CA"), "no")
    by_city, by_country = selectors.answers_by_place(check=check)
    cities_seen = {(p.city, p.country): (p.yes, p.maybe, p.no) for p in by_city}
    assert cities_seen == {
        ("Lausanne", "CH"): (1, 0, 0),
        ("Geneva", "CH"): (1, 0, 0),  # as the gazetteer names it
        ("Paris", "FR"): (0, 1, 0),
        ("Montréal", "CA"): (0, 0, 1),
    }
    assert {p.country: p.yes for p in by_country} == {"CH": 2, "FR": 0, "CA": 0}


def test_turning_the_check_into_an_event_registers_the_yes_voters_who_can_cancel(
    client, group, organiser, check, answer, django_capture_on_commit_callbacks
):
    voters = [member_of(group, email=f"v{n}@example.org") for n in range(3)]
    for voter in voters:
        answer(check, voter, "yes")
    answer(check, member_of(group), "no")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        event = services.interest_check_convert(
            check=check, by=organiser, **event_fields(kind="barcamp", capacity=2)
        )

    statuses = {r.user.email: r.status for r in Registration.objects.filter(event=event)}
    assert statuses == {
        "v0@example.org": "going",
        "v1@example.org": "going",
        "v2@example.org": "waitlisted",
    }
    happening = [m for m in mail.outbox if "you are registered" in m.subject]
    assert sorted(m.to[0] for m in happening) == [v.email for v in voters]
    assert all(m.attachments for m in happening if m.to[0] != "v2@example.org")
    check.refresh_from_db()
    assert (check.status, check.event, check.converted_yes_count) == ("converted", event, 3)

    # One click (and a confirmation) cancels; the seat goes to the next in line.
    registration = Registration.objects.get(user=voters[0])
    url = reverse("events:cancel_link", args=[cancel_token(registration)])
    assert client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "going"  # a GET (a mail scanner) cancels nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert Registration.objects.get(user=voters[0]).status == "not_going"
    assert Registration.objects.get(user=voters[2]).status == "going"

    conversion = selectors.check_conversion(check=check)
    assert conversion == {
        "pre_registered": 3,
        "going": 2,
        "waitlisted": 0,
        "cancelled": 1,
        "total_going": 2,
    }
    client.force_login(organiser)
    page = client.get(check.get_absolute_url()).text
    assert "It became an event" in page
    assert (
        "3 yes answers were registered: 2 still going, 0 waiting for a seat, 1 cancelled." in page
    )


def test_a_check_becomes_an_event_once(group, organiser, check):
    services.interest_check_convert(check=check, by=organiser, **event_fields())
    with pytest.raises(ValidationError):
        services.interest_check_convert(check=check, by=organiser, **event_fields())


def test_closed_checks_take_no_answer(group, organiser, check, answer):
    services.interest_check_close(check=check, by=organiser)
    with pytest.raises(ValidationError):
        answer(check, member_of(group), "yes")


def test_a_window_that_ends_before_it_starts_is_refused(group, organiser):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.interest_check_open(
            group=group,
            by=organiser,
            kind="meetup",
            city="Leeds",
            window_start=today + timedelta(days=10),
            window_end=today + timedelta(days=5),
            threshold=10,
        )
    assert "window_end" in error.value.message_dict
    assert not InterestCheck.objects.exists()


def test_members_answer_on_the_web(client, group, check):
    member = member_of(group)
    client.force_login(member)
    response = client.post(
        reverse("events:check_answer", args=[group.slug, check.pk]),
        {"answer": "yes", "from_city": "Vevey", "from_country": "CH"},
        follow=True,
    )
    assert "your answer is saved" in response.text
    assert "1 yes of the 3 needed" in response.text


def test_organisers_may_open_checks_and_moderators_too(client, group):
    moderator = member_of(group, Role.MODERATOR)
    client.force_login(moderator)
    assert client.get(reverse("events:check_create", args=[group.slug])).status_code == 200
    client.force_login(member_of(group))
    assert client.get(reverse("events:check_create", args=[group.slug])).status_code == 403

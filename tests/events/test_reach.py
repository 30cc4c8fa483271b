"""Reach before you commit: members placed by a real gazetteer (asked back when it cannot),
counted by radius, country and time zone; the turnout forecast from the group's own
check-ins; exhaustion signals; sister groups' counts without a leak; the map and the chart."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from goingsolo.demo.content.people import CITIES
from goingsolo.events import selectors, services
from goingsolo.events.models import Event, MemberPlace
from goingsolo.events.reach import forecast, gazetteer
from goingsolo.events.reach.drawing import turnout_chart, world_map
from goingsolo.events.reach.places import member_resolution
from goingsolo.groups.models import Membership, Role, Visibility
from tests.events.conftest import event_fields, open_interest_check
from tests.factories import GroupFactory, member_of
from tests.support import query_counts

pytestmark = pytest.mark.django_db


# --- The gazetteer ---------------------------------------------------------------------------


# Every city of the demo's people, with their country, and the tests' members' cities
# (docs/events.md: coverage).
TEST_CITIES = [("Lausanne", "CH"), ("Geneva", "CH"), ("vevey", "CH"), ("Nyon", "CH"),
               ("Leeds", "GB"), ("Paris", ""), ("Lyon", ""), ("Montréal", "")]  # fmt: skip


@pytest.mark.parametrize(("city", "country"), [*CITIES.items(), *TEST_CITIES])
def test_every_city_of_the_demo_and_the_tests_is_placed(city, country):
    country = country[0] if isinstance(country, tuple) else country
    assert gazetteer.resolve(city, country).found, city


@pytest.mark.parametrize(
    ("written", "country", "name", "code"),
    [
        ("Genf", "", "Geneva", "CH"),
        ("GENEVE", "CH", "Geneva", "CH"),
        ("Paris", "", "Paris", "FR"),  # 2 million against 25,000 in Texas
        ("Montreal", "CA", "Montréal", "CA"),
        ("London", "CA", "London", "CA"),  # the member's country decides
    ],
)
def test_names_alternate_names_and_countries_place_a_city(written, country, name, code):
    found = gazetteer.resolve(written, country)
    assert found.found and (found.place.name, found.place.country) == (name, code)
    assert found.place.timezone and -90 <= found.place.latitude <= 90


def test_a_name_shared_by_cities_of_a_size_is_ambiguous_and_lists_them():
    springfield = gazetteer.resolve("Springfield")
    assert springfield.status == gazetteer.Status.AMBIGUOUS
    labels = [place.label for place in springfield.candidates]
    assert "Springfield (US, MO)" in labels and "Springfield (US, MA)" in labels
    chosen = springfield.candidates[1]
    assert gazetteer.resolve("Springfield", "", chosen.geonameid).place == chosen


def test_an_unknown_city_is_unknown():
    assert gazetteer.resolve("Smallville").status == gazetteer.Status.UNKNOWN
    assert gazetteer.resolve("  ").status == gazetteer.Status.EMPTY


def test_distances_are_in_kilometres():
    lausanne, geneva = gazetteer.resolve("Lausanne").place, gazetteer.resolve("Genève").place
    assert 50 < gazetteer.distance_km(lausanne, geneva) < 53
    leeds, london = gazetteer.resolve("Leeds").place, gazetteer.resolve("London").place
    assert 260 < gazetteer.distance_km(leeds, london) < 280


# --- The profile asks back -------------------------------------------------------------------


def test_the_profile_asks_which_place_an_ambiguous_city_is_and_keeps_the_answer(client, group):
    member = member_of(group, city="Springfield", country="US")
    client.force_login(member)
    page = client.get(reverse("accounts:profile_edit")).text
    assert "Several places are called “Springfield”" in page
    assert "Springfield (US, MO)" in page

    illinois = next(p for p in gazetteer.candidates("Springfield", "US") if p.region == "IL")
    client.post(reverse("events:my_place"), {"geonameid": illinois.geonameid})

    assert MemberPlace.objects.get(user=member).geonameid == illinois.geonameid
    assert (
        "Your city is placed at Springfield (US, IL)"
        in client.get(reverse("accounts:profile_edit")).text
    )


def test_a_place_outside_the_list_is_refused_with_a_message(client, group):
    member = member_of(group, city="Springfield", country="US")
    client.force_login(member)
    lausanne = gazetteer.resolve("Lausanne").place
    response = client.post(
        reverse("events:my_place"), {"geonameid": lausanne.geonameid}, follow=True
    )
    assert "Choose one of the places in the list." in response.text
    assert not MemberPlace.objects.exists()


def test_an_unknown_city_is_asked_back_in_french_too(client, group):
    member = member_of(group, city="Smallville", country="US", language="fr")
    client.force_login(member)
    page = client.get(reverse("accounts:profile_edit"), HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Nous ne trouvons pas «\u00a0Smallville\u00a0» sur la carte" in page


def test_a_choice_stops_counting_once_the_profile_names_another_city(group):
    member = member_of(group, city="Springfield", country="US")
    place = gazetteer.candidates("Springfield", "US")[2]
    services.member_place_choose(user=member, geonameid=place.geonameid)
    assert member_resolution(member).place == place
    member.city, member.country = "Lausanne", "CH"
    member.save()
    assert member_resolution(member).place.name == "Lausanne"


# --- Counting --------------------------------------------------------------------------------


@pytest.fixture
def community(group, organiser, make_event, register):
    """Members around Lausanne and Leeds, one in a town the map does not know."""
    organiser.city = ""
    organiser.save()
    lausanne = [member_of(group, city="Lausanne", country="CH") for _ in range(3)]
    member_of(group, city="vevey", country="CH", time_zone="Europe/Zurich")
    geneva = [member_of(group, city="Geneva", country="CH") for _ in range(2)]
    leeds = [
        member_of(group, city="Leeds", country="GB", time_zone="Europe/London") for _ in range(2)
    ]
    member_of(group, city="Smallville", country="US", time_zone="America/Chicago")
    return {"lausanne": lausanne, "geneva": geneva, "leeds": leeds}


def test_reach_counts_members_in_the_city_within_the_radius_and_in_the_country(group, community):
    report = selectors.reach(group=group, city="lausanne", radius_km=60)
    assert report.venue.place.name == "Lausanne"
    # In the country: the organiser too, whose profile says Switzerland without a city.
    assert (report.living_in, report.living_near, report.in_country) == (3, 6, 7)
    assert [(row.name, row.members) for row in report.nearby] == [("Vevey", 1), ("Geneva", 2)]
    assert (report.unplaced, report.without_city) == (1, 1)
    assert selectors.reach(group=group, city="Lausanne", radius_km=0).living_near == 3
    assert selectors.reach(group=group, city="Leeds", radius_km=60).living_near == 2


def test_an_unknown_venue_counts_only_members_who_wrote_it(group, community):
    report = selectors.reach(group=group, city="Smallville", radius_km=200)
    assert report.venue.status == gazetteer.Status.UNKNOWN
    assert (report.living_in, report.living_near) == (1, 1)


def test_members_awake_at_the_hour_of_an_online_event(group, community):
    # 7:00 in London is 8:00 in Lausanne: the Swiss are awake, Leeds is not yet.
    at = datetime(2027, 1, 12, 7, 0, tzinfo=UTC)
    report = selectors.reach(group=group, city="Lausanne", awake_at=at)
    assert report.awake == 6 + 1  # the Swiss, and the organiser's own zone (Zurich)
    late = selectors.reach(group=group, city="Lausanne", awake_at=at.replace(hour=22))
    assert late.awake == 1  # 16:00 in Chicago (Smallville's zone); Europe sleeps


# --- The forecast ----------------------------------------------------------------------------


def test_percentiles_interpolate_between_ranks():
    assert forecast.percentile([0.5], 10) == 0.5
    assert forecast.percentile([0.5, 1.0], 10) == pytest.approx(0.55)
    assert forecast.percentile([0.2, 0.4, 0.6, 0.8, 1.0], 90) == pytest.approx(0.92)


def test_the_forecast_is_the_10th_to_90th_percentile_applied_to_todays_yes():
    turnout = forecast.turnout([0.5, 0.6, 0.7, 0.8, 0.9], yes=20)
    # 10th: 0.54, 90th: 0.86 → 10.8 and 17.2 people, widened to whole people.
    assert (turnout.low, turnout.high, turnout.based_on) == (10, 18, 5)
    assert forecast.turnout([], yes=20) is None
    assert forecast.turnout([1.0, 1.0], yes=7) == forecast.Range(7, 7, 1.0, 1.0, 2)


def past_event(make_event, register, members, *, came, city="Lausanne", days_ago=400):
    """An event of the group that took place DAYS_AGO, MEMBERS had a seat, CAME checked in."""
    event = make_event(city=city, capacity=None)
    for member in members:
        register(event, member)
    for member in came:
        services.check_in(registration=event.registrations.get(user=member), by=event.created_by)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=days_ago),
        ends_at=timezone.now() - timedelta(days=days_ago - 1),
    )
    return event


def test_the_forecast_uses_the_groups_check_ins_and_says_when_there_is_no_history(
    group, organiser, make_event, register
):
    people = [member_of(group, city="Lausanne") for _ in range(10)]
    check = open_interest_check(group, organiser, threshold=8, announce=False)
    for member in people[:6]:
        services.interest_answer(check=check, user=member, answer="yes")
    check.refresh_from_db()
    assert selectors.reach(group=group, check=check).turnout is None  # no history yet

    past_event(make_event, register, people[:10], came=people[:5], days_ago=700)  # 0.5
    past_event(make_event, register, people[:5], came=people[:5], days_ago=300)  # 1.0
    past_event(make_event, register, people[:4], came=[], days_ago=200)  # no check-in: left out

    report = selectors.reach(group=group, check=check)
    assert [(e.had_seat, e.came) for e in report.history] == [(10, 5), (5, 5)]
    # 10th and 90th percentiles of (0.5, 1.0): 0.55 and 0.95, of 6 yes.
    assert (report.turnout.low, report.turnout.high) == (3, 6)
    assert "Out of reach" not in report.verdict and "Within reach" in report.verdict


def test_exhaustion_signals_and_the_verdict(group, organiser, make_event, register):
    near = [member_of(group, city="Leeds", country="GB") for _ in range(10)]
    past_event(make_event, register, near[:8], came=near[:7], city="Leeds", days_ago=100)
    Membership.objects.filter(user__in=near).update(joined_at=timezone.now() - timedelta(days=900))
    type(near[0]).objects.filter(pk=near[9].pk).update(
        last_login=timezone.now() - timedelta(days=400)
    )
    check = open_interest_check(group, organiser, city="Leeds", threshold=9, announce=False)
    services.interest_answer(check=check, user=near[0], answer="yes")
    check.refresh_from_db()

    report = selectors.reach(group=group, check=check)
    signals = report.exhaustion
    assert (signals.could_come, signals.came_recently, signals.joined_since_last_event) == (
        10,
        7,
        0,
    )
    assert signals.inactive == 1 and signals.exhausted
    assert report.verdict.startswith("Out of reach") or report.verdict.startswith("Unlikely")


# --- Sister groups ---------------------------------------------------------------------------


def test_sister_groups_are_counted_only_when_the_organiser_may_read_them(
    client, group, organiser, community
):
    public = GroupFactory(name="SoloCamp Lausanne", visibility=Visibility.PUBLIC)
    closed = GroupFactory(name="Hidden Closed Circle", visibility=Visibility.CLOSED)
    secret = GroupFactory(name="Secret Cabal", visibility=Visibility.SECRET)
    for sister in (public, closed, secret):
        for _ in range(2):
            member_of(sister, city="Lausanne", country="CH")

    report = selectors.reach(group=group, viewer=organiser, city="Lausanne")
    assert [(s.name, s.near) for s in report.sisters] == [("SoloCamp Lausanne", 2)]

    client.force_login(organiser)
    page = client.get(reverse("events:reach", args=[group.slug]) + "?city=Lausanne").text
    assert "SoloCamp Lausanne: 2 members near" in page
    assert "Hidden Closed Circle" not in page and "Secret Cabal" not in page

    Membership.objects.create(group=secret, user=organiser, role=Role.MEMBER)
    report = selectors.reach(group=group, viewer=organiser, city="Lausanne")
    assert {s.name for s in report.sisters} == {"SoloCamp Lausanne", "Secret Cabal"}


# --- Seen ------------------------------------------------------------------------------------


def test_the_map_draws_land_dots_and_the_radius_with_words(group, community):
    report = selectors.reach(group=group, city="Lausanne", radius_km=60)
    svg = str(world_map(report))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'class="land"' in svg and "<ellipse" in svg
    assert svg.count('class="dot near"') == 3  # Lausanne, Vevey, Geneva
    assert "Geneva: 2" in svg
    world = str(world_map(selectors.reach(group=group)))
    assert "Map of the world" in world and "<ellipse" not in world


def test_the_chart_draws_past_events_and_todays_range(group, organiser, make_event, register):
    people = [member_of(group, city="Lausanne") for _ in range(4)]
    past_event(make_event, register, people, came=people[:3])
    check = open_interest_check(group, organiser, threshold=3, announce=False)
    services.interest_answer(check=check, user=people[0], answer="yes")
    check.refresh_from_db()
    report = selectors.reach(group=group, check=check)
    svg = str(turnout_chart(report))
    assert 'class="came"' in svg and 'class="forecast"' in svg and 'class="threshold"' in svg
    assert 'class="forecast"' not in str(turnout_chart(selectors.reach(group=group)))
    assert turnout_chart(selectors.reach(group=GroupFactory())) is None


def test_the_reach_page_is_for_organisers_and_says_it_all(client, group, organiser, community):
    url = reverse("events:reach", args=[group.slug]) + "?city=Lausanne&radius=60&threshold=5"
    client.force_login(member_of(group))
    assert client.get(url).status_code == 403
    client.force_login(organiser)
    page = client.get(url).text
    assert "Vevey (1, 17 km), Geneva (2, 51 km)" in page
    assert "Not enough history" in page
    assert "Within reach" in page
    assert "The map in words" in page and "<svg" in page


def test_the_reach_page_in_french(client, group, organiser, community):
    organiser.language = "fr"
    organiser.save()
    client.force_login(organiser)
    page = client.get(reverse("events:reach", args=[group.slug]) + "?city=Lausanne").text
    assert "Prévision de participation" in page
    assert "Pas assez d’historique" in page


# --- One selector, a fixed number of queries -------------------------------------------------


def test_the_reach_page_runs_a_fixed_number_of_queries(client, group, organiser):
    public = GroupFactory(visibility=Visibility.PUBLIC)
    check = open_interest_check(group, organiser, threshold=5, announce=False)
    client.force_login(organiser)
    counter = iter(range(100))

    def make():
        n = next(counter)
        member = member_of(group, city=["Lausanne", "Genève", "Leeds", "Springfield"][n % 4])
        member_of(public, city="Vevey")
        services.interest_answer(check=check, user=member, answer="yes")
        event = services.event_create(
            group=group,
            by=organiser,
            announce=False,
            **event_fields(),
        )
        services.registration_set(event=event, user=member, status="going")
        services.check_in(registration=event.registrations.get(user=member), by=organiser)
        Event.objects.filter(pk=event.pk).update(
            starts_at=timezone.now() - timedelta(days=30 + n),
            ends_at=timezone.now() - timedelta(days=29 + n),
        )

    url = reverse("events:reach", args=[group.slug]) + f"?check={check.pk}"
    small, large = query_counts(client, url, make, small=1, large=5)
    assert small == large


def test_bad_input_on_the_reach_page_is_said_and_the_rest_still_shows(client, group, organiser):
    client.force_login(organiser)
    url = reverse("events:reach", args=[group.slug])
    page = client.get(url + "?city=Lausanne&country=ZZ&radius=7&threshold=-3").text
    assert "Give a country’s two-letter code, for example CH." in page
    assert "Where members live" in page
    assert client.get(url + "?check=999999").status_code == 200

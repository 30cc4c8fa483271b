"""The barcamp's pages: who sees them, the forms, the htmx fragments, the calendar, and a
fixed number of queries on every list page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from goingsolo.barcamp import services
from goingsolo.barcamp.models import Placement, Session
from goingsolo.groups.models import Visibility
from tests.factories import GroupFactory, member_of
from tests.support import query_counts

pytestmark = pytest.mark.django_db


def url(name, event, *args):
    return reverse(f"barcamp:{name}", args=[event.group.slug, event.pk, *args])


@pytest.fixture
def placed(barcamp, organiser, rooms, slots, participant, propose):
    """Alice's and Bob's sessions, wanted by Carol, generated and published."""
    alice, bob, carol = participant("Alice"), participant("Bob"), participant("Carol")
    first = propose(alice, title="Pricing")
    second = propose(bob, title="Taxes")
    for session in (first, second):
        services.wish_toggle(session=session, user=carol)
    services.grid_generate(event=barcamp, by=organiser)
    services.grid_publish(event=barcamp, by=organiser)
    return first, second, carol


# --- Who sees what ------------------------------------------------------------------------------


PUBLIC_PAGES = ("proposals", "board", "board_fragment", "board_events", "schedule", "propose")


def test_a_secret_groups_barcamp_is_a_404_to_outsiders(client, group, barcamp, placed):
    group.visibility = Visibility.SECRET
    group.save()
    first, _second, _carol = placed
    client.force_login(member_of(GroupFactory(), display_name="Outsider"))
    organiser_pages = ("grid", "grid_fragment", "wall")
    pages = [url(name, barcamp) for name in (*PUBLIC_PAGES, *organiser_pages, "schedule_ics")]
    pages.append(url("session", barcamp, first.pk))
    for page in pages:
        assert client.get(page).status_code == 404, page
    assert client.post(url("wish", barcamp, first.pk)).status_code == 404


def test_a_closed_groups_barcamp_asks_visitors_to_log_in(client, barcamp):
    response = client.get(url("proposals", barcamp))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_event_that_is_no_barcamp_has_no_barcamp_pages(client, group, organiser, barcamp):
    barcamp.kind = "meetup"
    barcamp.save()
    client.force_login(organiser)
    assert client.get(url("proposals", barcamp)).status_code == 404


def test_a_facilitator_changes_a_session_from_its_form(client, barcamp, participant, propose):
    alice, bob = participant("Alice"), participant("Bob")
    session = propose(alice, title="Pricing")
    client.force_login(bob)  # not his session
    assert client.get(url("session_edit", barcamp, session.pk)).status_code == 403
    client.force_login(alice)
    page = client.get(url("session", barcamp, session.pk)).content.decode()
    assert url("session_edit", barcamp, session.pk) in page
    form = client.get(url("session_edit", barcamp, session.pk)).content.decode()
    assert 'value="Pricing"' in form
    fields = {"title": "", "language": "en", "kind": "talk", "description": "Kept text"}
    refused = client.post(url("session_edit", barcamp, session.pk), fields)
    assert refused.status_code == 200 and "Kept text" in refused.content.decode()
    response = client.post(
        url("session_edit", barcamp, session.pk), {**fields, "title": "Day rates"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.kind, session.description) == ("Day rates", "talk", "Kept text")


def test_members_see_proposals_but_only_organisers_the_grid_and_wall(client, group, barcamp):
    client.force_login(member_of(group, display_name="Member"))
    assert client.get(url("proposals", barcamp)).status_code == 200
    assert client.get(url("grid", barcamp)).status_code == 403
    assert client.get(url("grid_fragment", barcamp)).status_code == 403
    assert client.get(url("wall", barcamp)).status_code == 403
    assert client.get(url("propose", barcamp)).status_code == 403  # no seat
    assert client.post(url("generate", barcamp)).status_code == 403


# --- Proposals and wishes -----------------------------------------------------------------------


def test_a_participant_proposes_from_the_form(client, barcamp, participant):
    alice = participant("Alice")
    client.force_login(alice)
    response = client.post(
        url("propose", barcamp),
        {"title": "Coworking in Leeds", "language": "en", "kind": "workshop", "description": ""},
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert (session.title, session.kind) == ("Coworking in Leeds", "workshop")


def test_a_bad_proposal_shows_its_errors_and_keeps_what_was_typed(client, barcamp, participant):
    client.force_login(participant("Alice"))
    response = client.post(
        url("propose", barcamp),
        {"title": "", "language": "en", "kind": "lecture", "description": "Kept text"},
    )
    assert response.status_code == 200
    assert "Kept text" in response.text
    assert "This field is required." in response.text
    assert not Session.objects.exists()


def test_the_wish_button_works_with_htmx_and_without(client, barcamp, participant, propose):
    session = propose(participant("Alice"))
    client.force_login(participant("Bob"))
    response = client.post(url("wish", barcamp, session.pk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.text
    assert "2 want it" in response.text
    response = client.post(url("wish", barcamp, session.pk))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.wish_count == 1


def test_the_wish_button_says_why_a_member_without_a_seat_cannot_wish(
    client, group, barcamp, participant, propose
):
    session = propose(participant("Alice"))
    client.force_login(member_of(group, display_name="Late"))
    response = client.post(url("wish", barcamp, session.pk), headers={"HX-Request": "true"})
    assert "registered participants" in response.text
    assert session.wishes.count() == 1


def test_the_wall_enters_a_proposal_and_votes_for_people(client, barcamp, organiser, participant):
    alice, bob = participant("Alice"), participant("Bob")
    client.force_login(organiser)
    response = client.post(
        url("wall", barcamp),
        {
            "propose": "1",
            "p-facilitator": alice.pk,
            "p-title": "Accounting for freelancers",
            "p-language": "fr",
            "p-kind": "talk",
            "p-wanted_by": [bob.pk],
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.wish_count == 2
    other = services.session_propose(
        event=barcamp, by=organiser, facilitators=[bob], title="Taxes", language="en", kind="talk"
    )
    client.post(
        url("wall", barcamp), {"vote": "1", "v-participant": alice.pk, "v-sessions": [other.pk]}
    )
    assert other.wishes.filter(user=alice).exists()


def test_a_facilitator_says_which_slots_they_cannot_make(
    client, barcamp, slots, participant, propose
):
    alice = participant("Alice")
    propose(alice)
    client.force_login(alice)
    page = client.get(url("schedule", barcamp))
    assert "Slots you cannot make" in page.text
    client.post(url("unavailable", barcamp), {"slots": [slots[0].pk]})
    assert list(alice.barcamp_unavailable.values_list("slot_id", flat=True)) == [slots[0].pk]


# --- The grid -----------------------------------------------------------------------------------


def test_moving_a_session_answers_the_grid_with_the_new_missed_count(
    client, barcamp, organiser, rooms, slots, placed
):
    first, second, _carol = placed
    client.force_login(organiser)
    page = client.get(url("grid", barcamp))
    assert "0 missed sessions" in page.text
    there = Placement.objects.get(session=second)
    other_room = next(room for room in rooms if room != there.room)
    response = client.post(
        url("move", barcamp, first.pk),
        {"cell": f"{other_room.pk}:{there.slot.pk}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "1 missed session" in response.text  # Carol wants both, now at the same time
    assert "Carol: 1" in response.text


def test_a_move_to_a_cell_of_another_barcamp_is_refused(client, barcamp, organiser, placed):
    first, _second, _carol = placed
    client.force_login(organiser)
    response = client.post(
        url("move", barcamp, first.pk), {"cell": "999:999"}, headers={"HX-Request": "true"}
    )
    assert "Choose a cell of the grid." in response.text


def test_publishing_puts_the_grid_on_the_event_page(client, barcamp, placed):
    _first, _second, carol = placed
    client.force_login(carol)
    page = client.get(barcamp.get_absolute_url())
    assert "Pricing" in page.text and "Taxes" in page.text


# --- Board and schedule --------------------------------------------------------------------------


def test_the_board_shows_now_and_next_in_each_room_in_both_languages(
    client, barcamp, slots, placed
):
    _first, _second, carol = placed
    client.force_login(carol)
    response = client.get(url("board_fragment", barcamp))
    assert "Pricing" in response.text
    assert 'lang="fr">Ensuite' in response.text or 'lang="fr">Suivant' in response.text
    assert 'lang="en">Next' in response.text


def test_the_schedule_marks_clashes_and_downloads_as_a_calendar(
    client, barcamp, organiser, rooms, slots, placed
):
    first, second, carol = placed
    there = Placement.objects.get(session=second)
    other_room = next(room for room in rooms if room != there.room)
    services.session_move(session=first, by=organiser, room=other_room, slot=there.slot)
    client.force_login(carol)
    page = client.get(url("schedule", barcamp))
    assert "Clash: choose one" in page.text
    response = client.get(url("schedule_ics", barcamp))
    calendar = Calendar.from_ical(response.content)
    summaries = sorted(str(item["summary"]) for item in calendar.walk("VEVENT"))
    assert summaries == ["Pricing", "Taxes"]


# --- Queries -----------------------------------------------------------------------------------


def test_list_pages_run_a_fixed_number_of_queries(
    client, barcamp, organiser, rooms, slots, participant
):
    client.force_login(organiser)
    people = iter(range(100))
    hours = iter(range(1, 100))

    def make():
        person = participant(f"Person {next(people)}")
        session = services.session_propose(
            event=barcamp, by=person, title="Session", language="en", kind="talk"
        )
        services.wish_toggle(session=session, user=organiser)
        room = services.room_add(event=barcamp, by=organiser, name=f"Room {session.pk}", capacity=5)
        start = slots[-1].ends_at + timedelta(minutes=next(hours) * 10)
        services.slot_add(
            event=barcamp, by=organiser, starts_at=start, ends_at=start + timedelta(minutes=5)
        )
        services.session_move(session=session, by=organiser, room=room, slot=slots[0])

    counts = {}
    for name in ("proposals", "grid", "grid_fragment", "schedule"):
        counts[name] = query_counts(client, url(name, barcamp), make)
    assert counts == {
        "proposals": (10, 10),
        "grid": (20, 20),
        "grid_fragment": (18, 18),
        "schedule": (12, 12),
    }


def test_the_board_runs_a_fixed_number_of_queries(
    client, barcamp, organiser, rooms, slots, participant
):
    client.force_login(organiser)
    people = iter(range(100))

    def make():
        person = participant(f"Person {next(people)}")
        session = services.session_propose(
            event=barcamp, by=person, title="Session", language="en", kind="talk"
        )
        room = services.room_add(event=barcamp, by=organiser, name=f"Room {session.pk}", capacity=5)
        services.session_move(session=session, by=organiser, room=room, slot=slots[0])
        services.grid_publish(event=barcamp, by=organiser)

    assert query_counts(client, url("board_fragment", barcamp), make) == (10, 10)

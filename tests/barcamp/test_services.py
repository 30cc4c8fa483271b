"""The barcamp's services: proposals, wishes, the grid, publishing and re-planning."""

import asyncio
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goingsolo.barcamp import live, scheduling, selectors, services
from goingsolo.barcamp.models import Placement, Session, Wish
from goingsolo.core import live as core_live
from goingsolo.events.models import Talk
from goingsolo.groups import services as group_services
from goingsolo.groups.models import Membership, Role
from goingsolo.wiki.models import Page
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def test_a_participant_proposes_a_session_they_facilitate_and_want(participant, propose):
    alice = participant("Alice")
    session = propose(alice, title="  Pricing   your work ", description="Day rates.")
    assert session.title == "Pricing your work"
    assert list(session.facilitators.all()) == [alice]
    assert session.wish_count == 1
    assert Wish.objects.filter(session=session, user=alice).exists()


def test_a_member_without_a_seat_cannot_propose(group, barcamp, propose):
    outsider = member_of(group, display_name="Bob")
    with pytest.raises(PermissionDenied):
        propose(outsider)
    assert not Session.objects.exists()


def test_bad_proposals_get_clear_errors_and_nothing_is_saved(participant, propose):
    alice = participant("Alice")
    with pytest.raises(ValidationError) as error:
        propose(alice, title=" ", kind="lecture", description="x" * 601)
    assert set(error.value.message_dict) == {"title", "kind", "description"}
    assert not Session.objects.exists()


def test_facilitators_must_be_registered_participants(group, participant, organiser, propose):
    stranger = member_of(group, display_name="Stranger")
    with pytest.raises(ValidationError) as error:
        propose(organiser, facilitators=[stranger])
    assert "facilitators" in error.value.message_dict


def test_the_organiser_enters_a_sticky_note_with_its_dots_for_others(
    participant, organiser, propose
):
    alice, bob, carol = participant("Alice"), participant("Bob"), participant("Carol")
    session = propose(organiser, facilitators=[alice], wished_by=[bob, carol])
    assert list(session.facilitators.all()) == [alice]
    assert session.wish_count == 3
    assert session.proposed_by == organiser


def test_wish_toggle_adds_then_removes_and_keeps_the_count(participant, propose):
    alice, bob = participant("Alice"), participant("Bob")
    session = propose(alice)
    assert services.wish_toggle(session=session, user=bob) is True
    session.refresh_from_db()
    assert session.wish_count == 2
    assert services.wish_toggle(session=session, user=bob) is False
    session.refresh_from_db()
    assert session.wish_count == 1


def test_only_organisers_vote_for_someone_else(participant, propose):
    alice, bob = participant("Alice"), participant("Bob")
    session = propose(alice)
    with pytest.raises(PermissionDenied):
        services.wish_toggle(session=session, user=bob, by=alice)
    assert session.wishes.count() == 1


def test_slots_stay_inside_the_event_and_do_not_overlap(barcamp, organiser, slots):
    with pytest.raises(ValidationError):
        services.slot_add(
            event=barcamp,
            by=organiser,
            starts_at=barcamp.starts_at - timedelta(hours=1),
            ends_at=barcamp.starts_at,
        )
    with pytest.raises(ValidationError):
        services.slot_add(
            event=barcamp,
            by=organiser,
            starts_at=slots[0].starts_at + timedelta(minutes=10),
            ends_at=slots[0].ends_at + timedelta(minutes=10),
        )


def test_only_organisers_manage_rooms(barcamp, participant):
    with pytest.raises(PermissionDenied):
        services.room_add(event=barcamp, by=participant("Alice"), name="Salle", capacity=5)


def _two_popular_sessions(participant, propose):
    """Alice's and Bob's sessions, both wanted by Carol and Dan: placed apart, nobody misses."""
    alice, bob, carol, dan = (participant(name) for name in ("Alice", "Bob", "Carol", "Dan"))
    first = propose(alice, title="Pricing", wished_by=[])
    second = propose(bob, title="Taxes")
    for person in (carol, dan):
        for session in (first, second):
            services.wish_toggle(session=session, user=person)
    return first, second


def test_generating_places_every_session_so_that_nobody_misses_one(
    barcamp, organiser, rooms, slots, participant, propose
):
    first, second = _two_popular_sessions(participant, propose)
    schedule = services.grid_generate(event=barcamp, by=organiser)
    assert schedule.missed == 0
    placements = {p.session_id: p for p in Placement.objects.all()}
    assert set(placements) == {first.pk, second.pk}
    assert placements[first.pk].slot_id != placements[second.pk].slot_id
    assert not any(p.published for p in placements.values())


def test_a_facilitator_unavailable_slot_is_respected(
    barcamp, organiser, rooms, slots, participant, propose
):
    alice = participant("Alice")
    session = propose(alice)
    services.unavailability_set(event=barcamp, user=alice, slots=slots[:2])
    services.grid_generate(event=barcamp, by=organiser)
    assert Placement.objects.get(session=session).slot == slots[2]


def test_moving_into_a_taken_cell_swaps_and_the_missed_count_follows(
    barcamp, organiser, rooms, slots, participant, propose
):
    first, second = _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    target = Placement.objects.get(session=second)
    services.session_move(session=first, by=organiser, room=target.room, slot=target.slot)
    grid = selectors.grid(barcamp)
    assert grid.missed == 0  # swapped, still apart
    moved = Placement.objects.get(session=second)
    other_room = next(room for room in rooms if room != moved.room)
    services.session_move(session=first, by=organiser, room=other_room, slot=moved.slot)
    grid = selectors.grid(barcamp)
    # Carol and Dan (and nobody else) now miss one session each.
    assert grid.missed == 2
    assert sorted(person.name for person, _count in grid.affected) == ["Carol", "Dan"]


def test_a_locked_session_stays_when_the_grid_is_generated_again(
    barcamp, organiser, rooms, slots, participant, propose
):
    first, _second = _two_popular_sessions(participant, propose)
    services.session_move(session=first, by=organiser, room=rooms[1], slot=slots[2])
    services.session_lock(session=first, by=organiser)
    services.grid_generate(event=barcamp, by=organiser, seed=3)
    placement = Placement.objects.get(session=first)
    assert (placement.room, placement.slot, placement.locked) == (rooms[1], slots[2], True)
    with pytest.raises(ValidationError):
        services.session_move(session=first, by=organiser, room=rooms[0], slot=slots[0])


def test_publishing_makes_the_agenda_notes_pages_and_tells_the_board(
    barcamp, organiser, rooms, slots, participant, propose, django_capture_on_commit_callbacks
):
    first, _second = _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    backend = core_live.get_backend()
    since = int(core_live.current_event_id() or 0)
    with django_capture_on_commit_callbacks(execute=True):
        services.grid_publish(event=barcamp, by=organiser)
    assert asyncio.run(backend.missed([live.channel(barcamp)], since)) == [live.channel(barcamp)]
    talks = {talk.title: talk for talk in Talk.objects.filter(event=barcamp)}
    assert set(talks) == {"Pricing", "Taxes"}
    placement = Placement.objects.select_related("room", "slot").get(session=first)
    assert talks["Pricing"].room == placement.room.name
    assert talks["Pricing"].starts_at == placement.slot.starts_at
    assert [s.name for s in talks["Pricing"].speakers.all()] == ["Alice"]
    first.refresh_from_db()
    assert first.notes_page.title == "SoloCamp — Pricing"
    assert "Alice" in first.notes_page.current_revision.body
    assert all(p.published for p in Placement.objects.all())


def test_a_move_after_publishing_moves_the_agenda_and_a_withdrawal_removes_its_talk(
    barcamp, organiser, rooms, slots, participant, propose
):
    first, second = _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    services.grid_publish(event=barcamp, by=organiser)
    free = next(
        (room, slot)
        for room in rooms
        for slot in slots
        if not Placement.objects.filter(room=room, slot=slot).exists()
    )
    services.session_move(session=first, by=organiser, room=free[0], slot=free[1])
    talk = Talk.objects.get(title="Pricing")
    assert (talk.room, talk.starts_at) == (free[0].name, free[1].starts_at)
    services.session_withdraw(session=second, by=organiser)
    assert list(Talk.objects.values_list("title", flat=True)) == ["Pricing"]


def test_a_facilitator_changes_their_session_and_the_published_agenda_follows(
    barcamp, organiser, rooms, slots, participant, propose
):
    first, second = _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    services.grid_publish(event=barcamp, by=organiser)
    alice = first.facilitators.get()
    placement = Placement.objects.get(session=first)
    services.session_edit(
        session=first,
        by=alice,
        title="  Pricing   your work ",
        language="fr",
        kind="workshop",
        description="Day rates.",
    )
    first.refresh_from_db()
    assert (first.title, first.language, first.kind) == ("Pricing your work", "fr", "workshop")
    assert Placement.objects.get(session=first).slot == placement.slot  # its place stays
    talk = Talk.objects.get(pk=first.talk_id)
    assert (talk.title, talk.abstract, talk.language) == ("Pricing your work", "Day rates.", "fr")
    bob = second.facilitators.get()
    with pytest.raises(PermissionDenied):  # another participant may not
        services.session_edit(session=first, by=bob, title="Mine", language="en", kind="talk")
    with pytest.raises(ValidationError) as refused:
        services.session_edit(session=first, by=organiser, title=" ", language="en", kind="x")
    assert set(refused.value.message_dict) == {"title", "kind"}


def test_a_facilitator_withdraws_after_the_events_creator_left_the_group(
    group, barcamp, organiser, rooms, slots, participant, propose
):
    _first, second = _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    services.grid_publish(event=barcamp, by=organiser)
    member_of(group, Role.ADMIN, display_name="Another admin")
    group_services.membership_leave(membership=Membership.objects.get(user=organiser))
    services.session_withdraw(session=second, by=second.facilitators.get())
    assert list(Talk.objects.values_list("title", flat=True)) == ["Pricing"]


def test_generating_after_publishing_is_refused(
    barcamp, organiser, rooms, slots, participant, propose
):
    _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    services.grid_publish(event=barcamp, by=organiser)
    with pytest.raises(ValidationError):
        services.grid_generate(event=barcamp, by=organiser)


def test_replanning_keeps_started_slots_and_locked_cells_and_places_late_sessions(
    barcamp, organiser, rooms, slots, participant, propose
):
    first, second = _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    services.session_move(session=first, by=organiser, room=rooms[0], slot=slots[0])
    services.session_move(session=second, by=organiser, room=rooms[0], slot=slots[1])
    services.session_lock(session=second, by=organiser)
    services.grid_publish(event=barcamp, by=organiser)
    late = propose(participant("Eve"), title="Late idea")
    during_first_slot = slots[0].starts_at + timedelta(minutes=5)
    schedule = services.grid_replan(event=barcamp, by=organiser, now=during_first_slot)
    cells = {p.session_id: (p.room_id, p.slot_id) for p in Placement.objects.all()}
    assert cells[first.pk] == (rooms[0].pk, slots[0].pk)
    assert cells[second.pk] == (rooms[0].pk, slots[1].pk)
    assert cells[late.pk][1] != slots[0].pk  # nothing enters a started slot
    assert schedule.moved == 0
    assert Talk.objects.filter(title="Late idea").exists()
    assert not scheduling.violations(
        selectors.problem_for(barcamp), selectors.assignments_of(barcamp)
    )


def test_the_recap_lists_every_session_with_its_notes_and_facilitators(
    barcamp, organiser, rooms, slots, participant, propose
):
    _two_popular_sessions(participant, propose)
    services.grid_generate(event=barcamp, by=organiser)
    services.grid_publish(event=barcamp, by=organiser)
    page = services.recap_write(event=barcamp, by=organiser)
    body = page.current_revision.body
    assert "[[SoloCamp — Pricing|Pricing]]" in body
    assert "Alice" in body and "Bob" in body
    # Writing it again edits the same page.
    assert services.recap_write(event=barcamp, by=organiser) == page
    assert Page.objects.filter(title=page.title).count() == 1


def test_a_moderator_who_does_not_organise_cannot_publish(
    group, barcamp, rooms, slots, participant, propose
):
    _two_popular_sessions(participant, propose)
    moderator = member_of(group, Role.MODERATOR, display_name="Mo")
    with pytest.raises(PermissionDenied):
        services.grid_generate(event=barcamp, by=moderator)

"""Reads of a barcamp, each a fixed number of queries whatever the number of sessions:
proposals with the reader's wishes, the grid, the board, a personal schedule, and the
scheduler's problem made of the rows."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.dates import format_when
from goingsolo.events.models import Registration, RegistrationStatus

from . import scheduling
from .models import Barcamp, Placement, Room, Session, Slot, Unavailability, Wish


def _sessions(event):
    return (
        Session.objects.filter(event=event)
        .select_related("notes_page__group", "placement__room", "placement__slot")
        .prefetch_related("facilitators")
    )


def rooms(event):
    return list(Room.objects.filter(event=event))


def slots(event):
    return list(Slot.objects.filter(event=event))


def barcamp_state(event):
    """EVENT's grid state, unsaved when there is none yet."""
    return Barcamp.objects.filter(event=event).first() or Barcamp(event=event)


def participants(event):
    """The people with a seat at EVENT, by name."""
    return list(
        get_user_model()
        .objects.filter(
            event_registrations__event=event,
            event_registrations__status=RegistrationStatus.GOING,
        )
        .order_by("display_name", "pk")
    )


def wished_ids(event, user):
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Wish.objects.filter(session__event=event, user=user).values_list("session_id", flat=True)
    )


def proposals(event, user):
    """EVENT's sessions, most wanted first, each with `wanted` (by USER)."""
    sessions = list(_sessions(event).order_by("-wish_count", "created_at", "pk"))
    wanted = wished_ids(event, user)
    for session in sessions:
        session.event = event
        session.wanted = session.pk in wanted
    return sessions


def session_detail(event, session_id, user):
    session = _sessions(event).filter(pk=session_id).first()
    if session is not None:
        session.event = event
        session.wanted = session.pk in wished_ids(event, user)
    return session


def unavailable_slot_ids(event, user):
    return set(
        Unavailability.objects.filter(slot__event=event, user=user).values_list(
            "slot_id", flat=True
        )
    )


# --- The scheduler's problem ------------------------------------------------------------------


def problem_for(event):
    """The scheduling.Problem of EVENT's rows: ids are the rows' primary keys as text."""
    rooms_ = rooms(event)
    slots_ = slots(event)
    sessions = list(
        Session.objects.filter(event=event)
        .select_related("placement")
        .prefetch_related("facilitators")
    )
    unavailable = {}
    for user_id, slot_id in Unavailability.objects.filter(slot__event=event).values_list(
        "user_id", "slot_id"
    ):
        unavailable.setdefault(user_id, set()).add(str(slot_id))
    interests = {}
    for user_id, session_id in Wish.objects.filter(session__event=event).values_list(
        "user_id", "session_id"
    ):
        interests.setdefault(str(user_id), set()).add(str(session_id))
    problem_sessions = []
    for session in sessions:
        facilitators = tuple(str(user.pk) for user in session.facilitators.all())
        for user_id in facilitators:  # a facilitator wants their own session
            interests.setdefault(user_id, set()).add(str(session.pk))
        placement = getattr(session, "placement", None)
        locked = None
        if placement is not None and placement.locked:
            locked = (str(placement.room_id), str(placement.slot_id))
        problem_sessions.append(
            scheduling.Session(
                id=str(session.pk),
                title=session.title,
                language=session.language,
                facilitators=facilitators,
                unavailable_slots=frozenset(
                    slot
                    for user in session.facilitators.all()
                    for slot in unavailable.get(user.pk, ())
                ),
                locked=locked,
            )
        )
    return scheduling.Problem(
        rooms=tuple(
            scheduling.Room(id=str(room.pk), name=room.name, capacity=room.capacity)
            for room in rooms_
        ),
        slots=tuple(
            scheduling.Slot(id=str(slot.pk), start=slot.starts_at, end=slot.ends_at)
            for slot in slots_
        ),
        sessions=tuple(problem_sessions),
        interests={key: frozenset(value) for key, value in interests.items()},
    )


def assignments_of(event):
    """{session id: (room id, slot id)} of EVENT's placements, as the scheduler names them."""
    return {
        str(session_id): (str(room_id), str(slot_id))
        for session_id, room_id, slot_id in Placement.objects.filter(
            session__event=event
        ).values_list("session_id", "room_id", "slot_id")
    }


# --- The organiser's grid -----------------------------------------------------------------------


@dataclass
class Cell:
    room: Room
    slot: Slot
    session: Session | None = None


@dataclass
class Row:
    slot: Slot
    cells: list = field(default_factory=list)


@dataclass
class Grid:
    rooms: list
    rows: list
    unplaced: list
    sessions: list
    missed: int = 0
    over_capacity: int = 0
    affected: list = field(default_factory=list)  # (member, sessions missed), most first
    violations: list = field(default_factory=list)


def grid(event, *, with_figures=True):
    """EVENT's grid: a row per slot, a cell per room; the sessions out of it; with
    WITH_FIGURES the scheduler's missed and over-capacity counts and who misses what."""
    rooms_ = rooms(event)
    slots_ = slots(event)
    sessions = list(_sessions(event).order_by("-wish_count", "pk"))
    by_cell = {}
    unplaced = []
    for session in sessions:
        session.event = event
        placement = getattr(session, "placement", None)
        if placement is None:
            unplaced.append(session)
        else:
            by_cell[(placement.room_id, placement.slot_id)] = session
    rows = [
        Row(slot=slot, cells=[Cell(room, slot, by_cell.get((room.pk, slot.pk))) for room in rooms_])
        for slot in slots_
    ]
    result = Grid(rooms=rooms_, rows=rows, unplaced=unplaced, sessions=sessions)
    if with_figures and by_cell:
        problem = problem_for(event)
        assignments = assignments_of(event)
        result.missed, result.over_capacity = scheduling.evaluate(problem, assignments)
        result.violations = scheduling.violations(problem, assignments)
        missed = {
            int(user_id): count
            for user_id, count in scheduling.missed_by_participant(problem, assignments).items()
            if count
        }
        people = get_user_model().objects.in_bulk(list(missed))
        result.affected = sorted(
            ((people[pk], count) for pk, count in missed.items() if pk in people),
            key=lambda item: (-item[1], item[0].name),
        )
    return result


# --- The board and the personal schedule -------------------------------------------------------


@dataclass
class BoardRoom:
    room: Room
    now: Session | None = None
    next: Session | None = None


def board(event, now=None):
    """What the projector shows: for each room, the session on now and the next one, from
    the published grid. Before the first slot, "next" is the first slot's."""
    now = now or timezone.now()
    state = barcamp_state(event)
    rooms_ = rooms(event)
    if not state.is_published:
        return [], None, None
    placements = list(
        Placement.objects.filter(session__event=event, published=True)
        .select_related("session__notes_page__group", "slot")
        .prefetch_related("session__facilitators")
        .order_by("slot__starts_at")
    )
    current_slot = next(
        (p.slot for p in placements if p.slot.starts_at <= now < p.slot.ends_at), None
    )
    later = [p.slot for p in placements if p.slot.starts_at > now]
    next_slot = min(later, key=lambda slot: slot.starts_at) if later else None
    shown = {room.pk: BoardRoom(room) for room in rooms_}
    for placement in placements:
        placement.session.event = event
        if current_slot and placement.slot_id == current_slot.pk:
            shown[placement.room_id].now = placement.session
        if next_slot and placement.slot_id == next_slot.pk:
            shown[placement.room_id].next = placement.session
    return list(shown.values()), current_slot, next_slot


@dataclass
class ScheduleSlot:
    slot: Slot
    sessions: list

    @property
    def clash(self):
        return len(self.sessions) > 1


def personal_schedule(event, user):
    """The sessions USER wants (or facilitates) in EVENT's published grid, slot by slot;
    a slot with more than one is a clash. Also the wanted sessions not in the grid."""
    state = barcamp_state(event)
    wanted = wished_ids(event, user) | set(
        Session.objects.filter(event=event, facilitators=user).values_list("pk", flat=True)
    )
    sessions = [session for session in _sessions(event).filter(pk__in=wanted).order_by("pk")]
    by_slot = {}
    unplaced = []
    for session in sessions:
        session.event = event
        placement = getattr(session, "placement", None)
        if placement is None or not state.is_published or not placement.published:
            unplaced.append(session)
        else:
            by_slot.setdefault(placement.slot, []).append(session)
    rows = [
        ScheduleSlot(slot, sorted(items, key=lambda s: s.placement.room.name))
        for slot, items in sorted(by_slot.items(), key=lambda item: item[0].starts_at)
    ]
    return rows, unplaced


# --- Wiki texts -------------------------------------------------------------------------------


def _names(session):
    return ", ".join(user.name for user in session.facilitators.all())


def notes_template(session):
    """The first text of a session's notes page, in the active language."""
    lines = [
        _("Notes of the session “%(title)s”.") % {"title": session.title},
        "",
        _("Facilitated by %(names)s.") % {"names": _names(session)},
        "",
    ]
    if session.description:
        lines += [session.description, ""]
    lines += ["## " + _("Notes"), "", _("Write what was said, links, and what comes next.")]
    return "\n".join(lines)


def recap_text(event):
    """The recap page's text: every session of the grid, with notes and facilitators."""
    placements = list(
        Placement.objects.filter(session__event=event)
        .select_related("session__notes_page", "room", "slot")
        .prefetch_related("session__facilitators")
        .order_by("slot__starts_at", "-room__capacity", "room__name")
    )
    going = Registration.objects.filter(event=event, status=RegistrationStatus.GOING).count()
    lines = [
        _("%(count)d sessions, %(people)d participants.")
        % {"count": len(placements), "people": going},
        "",
    ]
    for placement in placements:
        session = placement.session
        title = session.title
        if session.notes_page is not None:
            title = f"[[{session.notes_page.title}|{session.title}]]"
        lines.append(
            f"- {format_when(placement.slot.starts_at, 'time', zone=event.zone)} · "
            f"{placement.room.name} · "
            f"{title} — {_names(session)}"
        )
    return "\n".join(lines)

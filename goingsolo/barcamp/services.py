"""Every change to a barcamp: one keyword-only function per use case, each atomic.

Side effects, listed in each docstring, run once the transaction commits:
- a live event "grid.changed" on the channel "barcamp:<event id>" (`live.py`) whenever
  what the board shows may have changed (a published grid moved, published, re-planned);
  "sessions.changed" when proposals or wishes change;
- publishing writes the event's agenda (talks and speakers, through the events services)
  and a notes page per session in the group's wiki (through the wiki services).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from goingsolo.events import services as event_services
from goingsolo.events.models import EventKind, Registration, RegistrationStatus, Speaker
from goingsolo.groups.models import Membership, Role
from goingsolo.wiki import services as wiki_services
from goingsolo.wiki.models import Page, title_key

from . import live, rules, scheduling, selectors
from .models import (
    DESCRIPTION_MAX_CHARS,
    Barcamp,
    Placement,
    Room,
    Session,
    SessionKind,
    Slot,
    Unavailability,
    Wish,
)


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_organiser(by, event):
    _require(rules.can_organise(by, event), _("Only the event’s organisers can change the grid."))


def _require_barcamp(event):
    if event.kind != EventKind.BARCAMP:
        raise ValidationError(_("This event is not a barcamp."))


def barcamp_of(event):
    """EVENT's grid state, made on first need."""
    barcamp, _created = Barcamp.objects.get_or_create(event=event)
    return barcamp


# --- Rooms and slots ---------------------------------------------------------------------


@transaction.atomic
def room_add(*, event, by, name, capacity):
    """BY adds a room to barcamp EVENT. No side effects."""
    _require_barcamp(event)
    _require_organiser(by, event)
    if Room.objects.filter(event=event, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The barcamp already has a room of that name.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("A room holds at least one person.")})
    return Room.objects.create(event=event, name=name, capacity=capacity)


@transaction.atomic
def room_delete(*, room, by):
    """BY removes ROOM; the sessions placed there leave the grid. Side effects: as
    `_grid_changed`."""
    _require_organiser(by, room.event)
    room.delete()
    _grid_changed(room.event)


@transaction.atomic
def slot_add(*, event, by, starts_at, ends_at):
    """BY adds a time slot to barcamp EVENT, within the event's times. No side effects."""
    _require_barcamp(event)
    _require_organiser(by, event)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The slot must end after it starts.")})
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError({"starts_at": _("The slot must take place during the event.")})
    overlapping = Slot.objects.filter(event=event, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.exists():
        raise ValidationError({"starts_at": _("The slot overlaps another slot.")})
    return Slot.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def slot_delete(*, slot, by):
    """BY removes SLOT; the sessions placed in it leave the grid. Side effects: as
    `_grid_changed`."""
    _require_organiser(by, slot.event)
    slot.delete()
    _grid_changed(slot.event)


# --- Proposals and wishes -----------------------------------------------------------------


def _participants(event, users):
    """The USERS who have a seat at EVENT."""
    ids = set(
        Registration.objects.filter(
            event=event, user__in=users, status=RegistrationStatus.GOING
        ).values_list("user_id", flat=True)
    )
    return [user for user in users if user.pk in ids]


def _proposal_errors(title, description, kind):
    """(errors by field, the title and description cleaned) of what a proposal says."""
    errors = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the session a title.")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_CHARS:
        errors["description"] = _(
            "A short description has at most %(limit)d characters; this one has %(count)d."
        ) % {"limit": DESCRIPTION_MAX_CHARS, "count": len(description)}
    if kind not in SessionKind.values:
        errors["kind"] = _("Choose a kind of session.")
    return errors, title, description


@transaction.atomic
def session_propose(
    *, event, by, title, language, kind, description="", facilitators=None, wished_by=None
):
    """BY proposes a session at barcamp EVENT; returns it.

    FACILITATORS (registered participants) default to BY; an organiser enters proposals
    for others at the wall. The facilitators want their own session (a wish each).
    WISHED_BY: more participants who want it (the wall's sticky dots).
    Side effects on commit: "sessions.changed" on the barcamp's channel.
    """
    _require_barcamp(event)
    _require(
        rules.can_take_part(by, event),
        _("Only the barcamp’s registered participants can propose sessions."),
    )
    facilitators = list(facilitators) if facilitators else [by]
    errors, title, description = _proposal_errors(title, description, kind)
    if len(_participants(event, facilitators)) != len(facilitators):
        errors["facilitators"] = _("Facilitators must be registered participants.")
    if not rules.can_organise(by, event) and by not in facilitators:
        errors["facilitators"] = _("Propose sessions you facilitate yourself.")
    if errors:
        raise ValidationError(errors)
    session = Session.objects.create(
        event=event,
        title=title,
        description=description,
        language=language,
        kind=kind,
        proposed_by=by,
    )
    session.facilitators.set(facilitators)
    wanting = {user.pk: user for user in [*facilitators, *_participants(event, wished_by or [])]}
    Wish.objects.bulk_create([Wish(session=session, user=user) for user in wanting.values()])
    Session.objects.filter(pk=session.pk).update(wish_count=len(wanting))
    session.wish_count = len(wanting)
    live.sessions_changed(event)
    return session


@transaction.atomic
def session_edit(*, session, by, title, language, kind, description=""):
    """BY (a facilitator or an organiser) changes what SESSION says: its title, short
    description, language and kind. Its place in the grid, its wishes and its notes page
    stay (the page keeps its title: renaming a wiki page is the wiki's business).
    Side effects: a published grid's agenda follows (the session's talk); on commit,
    "sessions.changed", and "grid.changed" when the grid is published."""
    _require(
        rules.can_edit_session(by, session),
        _("Only the session’s facilitators and the organisers can change it."),
    )
    errors, title, description = _proposal_errors(title, description, kind)
    if errors:
        raise ValidationError(errors)
    session.title, session.description = title, description
    session.language, session.kind = language, kind
    session.save(update_fields=["title", "description", "language", "kind"])
    live.sessions_changed(session.event)
    _grid_changed(session.event)
    return session


@transaction.atomic
def session_withdraw(*, session, by):
    """BY (a facilitator or an organiser) withdraws SESSION: it leaves the proposals and
    the grid. Side effects: as `_grid_changed`."""
    _require(
        rules.can_edit_session(by, session),
        _("Only the session’s facilitators and the organisers can change it."),
    )
    event = session.event
    session = Session.objects.select_related("talk").get(pk=session.pk)
    if session.talk_id is not None:
        event_services.talk_delete(talk=session.talk, by=_agenda_author(event, by))
    session.delete()
    live.sessions_changed(event)
    _grid_changed(event)


@transaction.atomic
def wish_toggle(*, session, user, by=None):
    """USER wants to attend SESSION, or no longer does; returns whether they want it now.

    BY: an organiser entering it for USER at the wall (default: USER).
    Side effects on commit: "sessions.changed" on the barcamp's channel.
    """
    by = by or user
    event = session.event
    if by != user:
        _require(rules.can_organise(by, event), _("Only organisers can vote for someone else."))
        _require(
            rules.is_participant(user, event),
            _("Only the barcamp’s registered participants can say what they want to attend."),
        )
    else:
        _require(
            rules.can_take_part(user, event),
            _("Only the barcamp’s registered participants can say what they want to attend."),
        )
    deleted, _details = Wish.objects.filter(session=session, user=user).delete()
    if deleted:
        Session.objects.filter(pk=session.pk).update(wish_count=F("wish_count") - 1)
        wanted = False
    else:
        try:
            with transaction.atomic():
                Wish.objects.create(session=session, user=user)
        except IntegrityError:  # a double click: the other request made it
            return True
        Session.objects.filter(pk=session.pk).update(wish_count=F("wish_count") + 1)
        wanted = True
    session.refresh_from_db(fields=["wish_count"])
    live.sessions_changed(event)
    return wanted


@transaction.atomic
def unavailability_set(*, event, user, slots):
    """USER cannot make SLOTS (of EVENT), and can make the others. No side effects."""
    _require(
        rules.can_take_part(user, event),
        _("Only the barcamp’s registered participants can say which slots they cannot make."),
    )
    slots = [slot for slot in slots if slot.event_id == event.pk]
    Unavailability.objects.filter(slot__event=event, user=user).exclude(slot__in=slots).delete()
    existing = set(
        Unavailability.objects.filter(user=user, slot__in=slots).values_list("slot_id", flat=True)
    )
    Unavailability.objects.bulk_create(
        [Unavailability(slot=slot, user=user) for slot in slots if slot.pk not in existing]
    )


# --- The grid -----------------------------------------------------------------------------


def _solved(run):
    """RUN()'s schedule; a problem the scheduler refuses becomes a ValidationError."""
    try:
        return run()
    except scheduling.ProblemError as error:
        raise ValidationError(str(error)) from error


def _apply(event, assignments):
    """Makes EVENT's placements those of ASSIGNMENTS (session id → (room id, slot id)),
    keeping each row's lock; rows of sessions that left the grid are deleted."""
    placements = {p.session_id: p for p in Placement.objects.filter(session__event=event)}
    wanted = {int(s): (int(r), int(t)) for s, (r, t) in assignments.items()}
    # Cells are unique: free them all first, then write the new ones.
    stale = [pk for pk in placements if pk not in wanted]
    Placement.objects.filter(session_id__in=stale).delete()
    changed = [
        p for pk, p in placements.items() if pk in wanted and (p.room_id, p.slot_id) != wanted[pk]
    ]
    Placement.objects.filter(pk__in=[p.pk for p in changed]).delete()
    rows = []
    for session_id, (room_id, slot_id) in wanted.items():
        old = placements.get(session_id)
        if old is not None and old not in changed:
            continue
        rows.append(
            Placement(
                session_id=session_id,
                room_id=room_id,
                slot_id=slot_id,
                locked=bool(old and old.locked),
                published=False,
            )
        )
    Placement.objects.bulk_create(rows)


@transaction.atomic
def grid_generate(*, event, by, seconds=scheduling.SOLVE_SECONDS, seed=0):
    """BY places EVENT's sessions in its rooms and slots, locked sessions where they are;
    returns the scheduler's Schedule. Refused once the grid is published: re-plan then.
    Side effects: none beyond the rows (the grid is not public yet).
    """
    _require_barcamp(event)
    _require_organiser(by, event)
    barcamp = barcamp_of(event)
    if barcamp.is_published:
        raise ValidationError(_("The grid is published: re-plan it instead."))
    problem = selectors.problem_for(event)
    schedule = _solved(lambda: scheduling.solve(problem, seconds=seconds, seed=seed))
    _apply(event, schedule.assignments)
    barcamp.generated_at = timezone.now()
    barcamp.save(update_fields=["generated_at"])
    return schedule


@transaction.atomic
def session_move(*, session, by, room, slot):
    """BY puts SESSION in the cell (ROOM, SLOT). A session already there swaps with it
    (into SESSION's old cell, or out of the grid); a locked one is refused.
    Side effects: as `_grid_changed`.
    """
    event = session.event
    _require_organiser(by, event)
    if room.event_id != event.pk or slot.event_id != event.pk:
        raise ValidationError(_("Choose a room and a slot of this barcamp."))
    mine = Placement.objects.filter(session=session).first()
    other = Placement.objects.filter(room=room, slot=slot).exclude(session=session).first()
    if other is not None and other.locked:
        raise ValidationError(_("A locked session is in that cell: unlock it first."))
    if mine is not None and mine.locked:
        raise ValidationError(_("This session is locked: unlock it first."))
    if other is not None:
        if mine is not None:
            other_cell = (mine.room_id, mine.slot_id)
            mine.delete()
            Placement.objects.filter(pk=other.pk).update(
                room_id=other_cell[0], slot_id=other_cell[1], published=False
            )
        else:
            other.delete()
    if mine is not None and mine.pk is not None:
        Placement.objects.filter(pk=mine.pk).update(room=room, slot=slot, published=False)
    else:
        Placement.objects.create(session=session, room=room, slot=slot)
    _grid_changed(event)


@transaction.atomic
def session_unplace(*, session, by):
    """BY takes SESSION out of the grid (unless locked). Side effects: as `_grid_changed`."""
    _require_organiser(by, session.event)
    Placement.objects.filter(session=session, locked=False).delete()
    _grid_changed(session.event)


@transaction.atomic
def session_lock(*, session, by, locked=True):
    """BY locks SESSION in its cell (or unlocks it): generating and re-planning leave a
    locked session where it is. No side effects."""
    _require_organiser(by, session.event)
    updated = Placement.objects.filter(session=session).update(locked=locked)
    if not updated:
        raise ValidationError(_("Place the session in the grid before locking it."))


@transaction.atomic
def grid_publish(*, event, by):
    """BY publishes EVENT's grid: everyone sees it, and it becomes the event's agenda.

    Side effects: every placement marked published; the agenda's talks and speakers
    written to match the grid (events services: the event is indexed again on commit);
    a notes page in the group's wiki for each placed session that has none (wiki
    services: indexed on commit); on commit, "grid.changed" on the barcamp's channel.
    """
    _require_barcamp(event)
    _require_organiser(by, event)
    barcamp = barcamp_of(event)
    if not Placement.objects.filter(session__event=event).exists():
        raise ValidationError(_("Generate the grid, or place sessions, before publishing."))
    _publish(event, barcamp, by)
    return barcamp


def _publish(event, barcamp, by):
    Placement.objects.filter(session__event=event).update(published=True)
    if not barcamp.is_published:
        barcamp.published_at = timezone.now()
        barcamp.save(update_fields=["published_at"])
    _agenda_sync(event, by)
    _notes_pages(event, by)
    live.grid_changed(event)


@transaction.atomic
def grid_replan(*, event, by, now=None, seed=0):
    """BY re-plans EVENT's published grid after late proposals and wishes; returns the
    Schedule, whose `moved` says how many published sessions moved.

    Sessions of slots that have started stay, and so do published locked sessions;
    the new grid is published at once. Side effects: as `grid_publish`.
    """
    _require_barcamp(event)
    _require_organiser(by, event)
    barcamp = barcamp_of(event)
    if not barcamp.is_published:
        raise ValidationError(_("Publish the grid before re-planning it."))
    now = now or timezone.now()
    placements = list(Placement.objects.filter(session__event=event).select_related("slot"))
    frozen = frozenset(
        str(pk)
        for pk in Slot.objects.filter(event=event, starts_at__lte=now).values_list("pk", flat=True)
    )
    keep = frozenset(
        str(p.session_id)
        for p in placements
        if str(p.slot_id) in frozen or (p.locked and p.published)
    )
    previous = {str(p.session_id): (str(p.room_id), str(p.slot_id)) for p in placements}
    problem = selectors.problem_for(event)
    schedule = _solved(
        lambda: scheduling.replan(
            problem, previous, keep=keep, frozen_slots=frozen, seconds=0.4, seed=seed
        )
    )
    _apply(event, schedule.assignments)
    barcamp.last_moved = schedule.moved
    barcamp.save(update_fields=["last_moved"])
    _publish(event, barcamp, by)
    return schedule


def _grid_changed(event):
    """After a change of the grid's rows: a published grid tells the board, and its
    agenda follows. Side effects: the agenda written (as `grid_publish`); on commit,
    "grid.changed" on the barcamp's channel."""
    barcamp = Barcamp.objects.filter(event=event).first()
    if barcamp is None or not barcamp.is_published:
        return
    Placement.objects.filter(session__event=event).update(published=True)
    _agenda_sync(event, None)
    live.grid_changed(event)


# --- What publishing writes elsewhere ---------------------------------------------------------


def _speakers(event, users):
    """The event's Speaker rows of USERS, made for those who have none."""
    speakers = {s.user_id: s for s in Speaker.objects.filter(event=event, user__in=users)}
    for user in users:
        if user.pk not in speakers:
            speakers[user.pk] = Speaker.objects.create(
                event=event, user=user, name=user.name, bio=user.bio, website=user.website
            )
    return [speakers[user.pk] for user in users]


def _agenda_author(event, by):
    """Who writes the agenda for a change BY made: BY when they organise the event, else
    (a facilitator changing or withdrawing their session) the event's creator while they
    organise it, else one of the group's admins (the creator may have left the group)."""
    if by is not None and rules.can_organise(by, event):
        return by
    if event.created_by is not None and rules.can_organise(event.created_by, event):
        return event.created_by
    admin = (
        Membership.objects.filter(group=event.group, role__in=[Role.OWNER, Role.ADMIN])
        .select_related("user")
        .order_by("role", "joined_at")
        .first()
    )
    return admin.user if admin is not None else event.created_by


def _agenda_sync(event, by):
    """The event's agenda shows the grid: one talk per placed session, in its room and
    slot, its facilitators as speakers. The talks of sessions out of the grid go; the
    organiser's own talks stay."""
    organiser = _agenda_author(event, by)
    sessions = (
        Session.objects.filter(event=event)
        .select_related("talk", "placement__room", "placement__slot")
        .prefetch_related("facilitators")
    )
    for session in sessions:
        placement = getattr(session, "placement", None)
        if placement is None:
            if session.talk is not None:
                event_services.talk_delete(talk=session.talk, by=organiser)
            continue
        talk = event_services.talk_save(
            event=event,
            by=organiser,
            talk=session.talk,
            title=session.title,
            abstract=session.description,
            language=session.language,
            starts_at=placement.slot.starts_at,
            ends_at=placement.slot.ends_at,
            room=placement.room.name,
            speakers=_speakers(event, list(session.facilitators.all())),
        )
        if session.talk_id != talk.pk:
            Session.objects.filter(pk=session.pk).update(talk=talk)


def _notes_title(event, session):
    return f"{event.title} — {session.title}"[:200]


def _notes_pages(event, by):
    """A notes page in the group's wiki for each placed session that has none, in the
    session's language, linking back to the session."""
    sessions = Session.objects.filter(
        event=event, notes_page__isnull=True, placement__isnull=False
    ).prefetch_related("facilitators")
    for session in sessions:
        title = _notes_title(event, session)
        page = Page.objects.filter(group=event.group, key=title_key(title)).first()
        if page is None:
            with translation.override(session.language):
                body = selectors.notes_template(session)
            page = wiki_services.page_create(
                group=event.group, author=by, title=title, body=body
            ).page
        Session.objects.filter(pk=session.pk).update(notes_page=page)


@transaction.atomic
def recap_write(*, event, by):
    """BY writes (or brings up to date) the barcamp's recap page in the group's wiki: every
    session of the grid with its notes page and facilitators. Returns the page.
    Side effects: a wiki revision (wiki services: indexed on commit)."""
    _require_barcamp(event)
    _require_organiser(by, event)
    barcamp = barcamp_of(event)
    with translation.override(getattr(by, "language", "") or "en"):
        title = _("%(event)s — recap") % {"event": event.title}
        body = selectors.recap_text(event)
    page = barcamp.recap_page
    if page is None:
        page = Page.objects.filter(group=event.group, key=title_key(title)).first()
    if page is None:
        page = wiki_services.page_create(group=event.group, author=by, title=title, body=body).page
    elif page.current_revision is None or page.current_revision.body != body:
        wiki_services.page_edit(
            page=page, author=by, body=body, base_revision_id=page.current_revision_id
        )
    barcamp.recap_page = page
    barcamp.save(update_fields=["recap_page"])
    return page

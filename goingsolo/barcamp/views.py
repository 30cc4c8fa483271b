"""The barcamp's pages: proposals and wishes, a session, the organiser's wall and grid, the
projector's board and the participant's schedule. Thin: each checks access through the
events' helpers (a closed or secret group's barcamp is a 404 to outsiders), calls a
service or a selector and renders.

htmx follows the one pattern of docs/contributing.md: every control is a plain form first;
with htmx the same URL answers the fragment the page includes."""

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from goingsolo.core import live
from goingsolo.core.forms import add_service_errors
from goingsolo.events import calendars
from goingsolo.events.models import EventKind
from goingsolo.events.views.common import event_for, render_event_page, run_and_tell
from goingsolo.groups.access import LoginRequired, login_when_needed

from . import forms, rules, selectors, services
from . import live as live_channels
from .models import Room, Session, Slot


def _barcamp_for(request, slug, event_id):
    """(access, event) of a barcamp the visitor may see; any other event is a 404."""
    access, event = event_for(request, slug, event_id)
    if event.kind != EventKind.BARCAMP:
        raise Http404
    return access, event


def _organiser_barcamp_for(request, slug, event_id):
    access, event = _barcamp_for(request, slug, event_id)
    if not rules.can_organise(request.user, event, access.membership):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied(_("Only the event’s organisers can see this page."))
    return access, event


def _back(request, default):
    """Back to the page the form was on (`next`, this site only), else to DEFAULT."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return redirect(target)


def _page(request, template, access, event, **context):
    context.setdefault("is_organiser", rules.can_organise(request.user, event, access.membership))
    context.setdefault("barcamp", selectors.barcamp_state(event))
    return render_event_page(request, template, access, event, **context)


# --- Proposals and wishes ----------------------------------------------------------------------


@login_when_needed
def proposals(request, slug, event_id):
    access, event = _barcamp_for(request, slug, event_id)
    return _page(
        request,
        "barcamp/proposals.html",
        access,
        event,
        sessions=selectors.proposals(event, request.user),
        can_take_part=rules.can_take_part(request.user, event, access.membership),
    )


@login_when_needed
def propose(request, slug, event_id):
    access, event = _barcamp_for(request, slug, event_id)
    if not rules.can_take_part(request.user, event, access.membership):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied(_("Register for the barcamp to propose a session."))
    form = forms.ProposalForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_propose(
                event=event, by=request.user, **form.session_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your session is proposed."))
            return redirect(session)
    return _page(request, "barcamp/propose.html", access, event, form=form)


@login_when_needed
def session_detail(request, slug, event_id, session_id):
    access, event = _barcamp_for(request, slug, event_id)
    session = selectors.session_detail(event, session_id, request.user)
    if session is None:
        raise Http404
    is_facilitator = request.user in session.facilitators.all()
    slots_form = None
    if is_facilitator:
        slots_form = forms.SlotsForm(
            event=event,
            initial={"slots": list(selectors.unavailable_slot_ids(event, request.user))},
        )
    return _page(
        request,
        "barcamp/session.html",
        access,
        event,
        session=session,
        is_facilitator=is_facilitator,
        slots_form=slots_form,
        can_take_part=rules.can_take_part(request.user, event, access.membership),
        can_edit=rules.can_edit_session(request.user, session, access.membership),
    )


@require_POST
@login_when_needed
def wish(request, slug, event_id, session_id):
    """Toggles the visitor's wish. With htmx, answers the button (`_wish.html`)."""
    access, event = _barcamp_for(request, slug, event_id)
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    error = None
    try:
        session.wanted = services.wish_toggle(session=session, user=request.user)
    except PermissionDenied as refusal:
        error = str(refusal)
        session.wanted = False
    if request.htmx:
        return render(
            request,
            "barcamp/_wish.html",
            {"group": access.group, "event": event, "session": session, "error": error},
        )
    if error:
        messages.error(request, error)
    return _back(request, reverse("barcamp:proposals", args=[slug, event_id]))


@require_POST
@login_when_needed
def unavailable(request, slug, event_id):
    _access, event = _barcamp_for(request, slug, event_id)
    form = forms.SlotsForm(request.POST, event=event)
    if form.is_valid():
        run_and_tell(
            request,
            lambda: services.unavailability_set(
                event=event, user=request.user, slots=list(form.cleaned_data["slots"])
            ),
            _("Noted: no session of yours goes in the slots you cannot make."),
        )
    else:
        messages.error(request, _("Choose slots of this barcamp."))
    return _back(request, reverse("barcamp:schedule", args=[slug, event_id]))


@login_when_needed
def session_edit(request, slug, event_id, session_id):
    """The proposal's form, filled with what the session says, for its facilitators and
    the organisers."""
    access, event = _barcamp_for(request, slug, event_id)
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    if not rules.can_edit_session(request.user, session, access.membership):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied(
            _("Only the session’s facilitators and the organisers can change it.")
        )
    initial = {
        "title": session.title,
        "description": session.description,
        "language": session.language,
        "kind": session.kind,
    }
    form = forms.ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_edit(session=session, by=request.user, **form.session_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session is changed."))
            return redirect(session)
    return _page(request, "barcamp/session_edit.html", access, event, form=form, session=session)


@require_POST
@login_when_needed
def session_withdraw(request, slug, event_id, session_id):
    _access, event = _barcamp_for(request, slug, event_id)
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    services.session_withdraw(session=session, by=request.user)
    messages.success(request, _("The session is withdrawn."))
    return redirect("barcamp:proposals", slug=slug, event_id=event_id)


# --- The wall ----------------------------------------------------------------------------------


@login_when_needed
def wall(request, slug, event_id):
    """The organiser enters sticky notes and dots for people, on a phone, on the day."""
    access, event = _organiser_barcamp_for(request, slug, event_id)
    people = forms.participants_of(event)
    proposal = forms.WallProposalForm(
        request.POST if "propose" in request.POST else None,
        participants=people,
        prefix="p",
        initial={"language": request.LANGUAGE_CODE},
    )
    votes = forms.WallVotesForm(
        request.POST if "vote" in request.POST else None,
        participants=people,
        event=event,
        prefix="v",
    )
    if "propose" in request.POST and proposal.is_valid():
        data = proposal.cleaned_data
        try:
            services.session_propose(
                event=event,
                by=request.user,
                facilitators=[data["facilitator"]],
                wished_by=list(data["wanted_by"]),
                **proposal.session_fields(),
            )
        except ValidationError as error:
            add_service_errors(proposal, error)
        else:
            messages.success(request, _("The session is proposed."))
            return redirect("barcamp:wall", slug=slug, event_id=event_id)
    if "vote" in request.POST and votes.is_valid():
        person = votes.cleaned_data["participant"]
        already = selectors.wished_ids(event, person)
        added = 0
        for session in votes.cleaned_data["sessions"]:
            if session.pk not in already:
                session.event = event
                services.wish_toggle(session=session, user=person, by=request.user)
                added += 1
        messages.success(
            request,
            ngettext(
                "%(count)d vote added for %(name)s.",
                "%(count)d votes added for %(name)s.",
                added,
            )
            % {"count": added, "name": person.name},
        )
        return redirect("barcamp:wall", slug=slug, event_id=event_id)
    return _page(
        request,
        "barcamp/wall.html",
        access,
        event,
        proposal_form=proposal,
        votes_form=votes,
        sessions=selectors.proposals(event, None),
    )


# --- The organiser's grid ----------------------------------------------------------------------


def _grid_context(request, access, event, **extra):
    grid = selectors.grid(event)
    return {
        "group": access.group,
        "event": event,
        "grid": grid,
        "barcamp": selectors.barcamp_state(event),
        "move_form": forms.MoveForm(grid=grid),
        **extra,
    }


@login_when_needed
def grid(request, slug, event_id):
    access, event = _organiser_barcamp_for(request, slug, event_id)
    return _page(
        request,
        "barcamp/grid.html",
        access,
        event,
        room_form=forms.RoomForm(),
        slot_form=forms.SlotForm(event=event),
        # Before the grid is read (the arguments run in order): nothing falls between.
        live_id=live.current_event_id() or "",
        **{
            key: value
            for key, value in _grid_context(request, access, event).items()
            if key not in ("group", "event")
        },
    )


@login_when_needed
def grid_fragment(request, slug, event_id):
    """The grid with its figures (`_grid.html`): the grid page fetches it again when
    proposals, wishes or the grid change (barcamp.js)."""
    access, event = _organiser_barcamp_for(request, slug, event_id)
    return render(request, "barcamp/_grid.html", _grid_context(request, access, event))


def _back_to_grid(slug, event_id):
    return redirect("barcamp:grid", slug=slug, event_id=event_id)


@require_POST
@login_when_needed
def room_add(request, slug, event_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    form = forms.RoomForm(request.POST)
    if form.is_valid():
        run_and_tell(
            request,
            lambda: services.room_add(event=event, by=request.user, **form.cleaned_data),
            _("The room is added."),
        )
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def room_delete(request, slug, event_id, room_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    room = get_object_or_404(Room, pk=room_id, event=event)
    room.event = event
    services.room_delete(room=room, by=request.user)
    messages.success(request, _("The room is removed."))
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def slot_add(request, slug, event_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    form = forms.SlotForm(request.POST, event=event)
    if form.is_valid():
        run_and_tell(
            request,
            lambda: services.slot_add(event=event, by=request.user, **form.cleaned_data),
            _("The slot is added."),
        )
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def slot_delete(request, slug, event_id, slot_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    slot = get_object_or_404(Slot, pk=slot_id, event=event)
    slot.event = event
    services.slot_delete(slot=slot, by=request.user)
    messages.success(request, _("The slot is removed."))
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def generate(request, slug, event_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    run_and_tell(
        request,
        lambda: services.grid_generate(event=event, by=request.user),
        lambda schedule: (
            ngettext(
                "The grid is generated: %(missed)d missed session.",
                "The grid is generated: %(missed)d missed sessions.",
                schedule.missed,
            )
            % {"missed": schedule.missed}
        ),
    )
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def move(request, slug, event_id, session_id):
    """Moves a session to the chosen cell. With htmx (the select, or a drop), answers the
    grid (`_grid.html`) with its new figures."""
    access, event = _organiser_barcamp_for(request, slug, event_id)
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    form = forms.MoveForm(request.POST, grid=selectors.grid(event, with_figures=False))
    error = None
    if form.is_valid():
        try:
            cell = form.cleaned_data["cell"]
            if cell is None:
                services.session_unplace(session=session, by=request.user)
            else:
                services.session_move(session=session, by=request.user, room=cell[0], slot=cell[1])
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = _("Choose a cell of the grid.")
    if request.htmx:
        return render(
            request, "barcamp/_grid.html", _grid_context(request, access, event, error=error)
        )
    if error:
        messages.error(request, error)
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def lock(request, slug, event_id, session_id):
    access, event = _organiser_barcamp_for(request, slug, event_id)
    session = get_object_or_404(Session, pk=session_id, event=event)
    session.event = event
    error = None
    try:
        services.session_lock(
            session=session, by=request.user, locked=request.POST.get("locked") == "1"
        )
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    if request.htmx:
        return render(
            request, "barcamp/_grid.html", _grid_context(request, access, event, error=error)
        )
    if error:
        messages.error(request, error)
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def publish(request, slug, event_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    run_and_tell(
        request,
        lambda: services.grid_publish(event=event, by=request.user),
        _("The grid is published: it is the event’s agenda, and the board shows it."),
    )
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def replan(request, slug, event_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    run_and_tell(
        request,
        lambda: services.grid_replan(event=event, by=request.user),
        lambda schedule: (
            ngettext(
                "Re-planned: %(moved)d published session moved.",
                "Re-planned: %(moved)d published sessions moved.",
                schedule.moved,
            )
            % {"moved": schedule.moved}
        ),
    )
    return _back_to_grid(slug, event_id)


@require_POST
@login_when_needed
def recap(request, slug, event_id):
    _access, event = _organiser_barcamp_for(request, slug, event_id)
    page = run_and_tell(
        request,
        lambda: services.recap_write(event=event, by=request.user),
        _("The recap page is written in the group’s wiki."),
    )
    return redirect(page) if page else _back_to_grid(slug, event_id)


# --- The board ----------------------------------------------------------------------------------


# The board shows its labels in both languages, one after the other (`_bilingual.html`
# translates them by name): marked here so that the catalogue has them.
BOARD_LABELS = (
    pgettext_lazy("barcamp board", "Room"),
    pgettext_lazy("barcamp board", "Now"),
    pgettext_lazy("barcamp board", "Next"),
    pgettext_lazy("barcamp board", "The grid is not published yet."),
    pgettext_lazy("barcamp board", "That was the last session. Thank you!"),
)


def _board_context(access, event):
    rooms, current, upcoming = selectors.board(event)
    return {
        "group": access.group,
        "event": event,
        "board_rooms": rooms,
        "current_slot": current,
        "next_slot": upcoming,
        "barcamp": selectors.barcamp_state(event),
    }


@login_when_needed
def board(request, slug, event_id):
    """Full screen, for the projector: now and next in each room."""
    access, event = _barcamp_for(request, slug, event_id)
    # The position in the stream is taken before the grid is read: nothing falls between.
    live_id = live.current_event_id() or ""
    return render(
        request, "barcamp/board.html", {**_board_context(access, event), "live_id": live_id}
    )


def _listener(request, slug, event_id):
    """The barcamp event the visitor may hear of, else None (the same answer for one that
    does not exist and one they may not see)."""
    try:
        return _barcamp_for(request, slug, event_id)[1]
    except (Http404, PermissionDenied, LoginRequired):
        return None


async def board_events(request, slug, event_id):
    """The grid's changes, as server-sent events (docs/live-updates.md)."""
    event = await sync_to_async(_listener)(request, slug, event_id)
    if event is None:
        raise Http404
    return await live.sse_response(
        request,
        [live_channels.channel(event)],
        authorize=lambda request: rules.can_view(request.user, event),
    )


@login_when_needed
def board_fragment(request, slug, event_id):
    access, event = _barcamp_for(request, slug, event_id)
    return render(request, "barcamp/_board.html", _board_context(access, event))


# --- The participant's schedule ----------------------------------------------------------------


@login_when_needed
def schedule(request, slug, event_id):
    access, event = _barcamp_for(request, slug, event_id)
    if not request.user.is_authenticated:
        raise LoginRequired
    rows, unplaced = selectors.personal_schedule(event, request.user)
    facilitates = any(
        request.user in session.facilitators.all()
        for session in [*unplaced, *(s for row in rows for s in row.sessions)]
    )
    slots_form = None
    if facilitates:
        slots_form = forms.SlotsForm(
            event=event,
            initial={"slots": list(selectors.unavailable_slot_ids(event, request.user))},
        )
    return _page(
        request,
        "barcamp/schedule.html",
        access,
        event,
        rows=rows,
        unplaced=unplaced,
        slots_form=slots_form,
        now=timezone.now(),
    )


@login_when_needed
def schedule_ics(request, slug, event_id):
    _access, event = _barcamp_for(request, slug, event_id)
    if not request.user.is_authenticated:
        raise LoginRequired
    rows, _unplaced = selectors.personal_schedule(event, request.user)
    parts = [
        {
            "uid": f"session-{session.pk}",
            "summary": session.title,
            "start": row.slot.starts_at,
            "end": row.slot.ends_at,
            "location": session.placement.room.name,
            "description": session.description,
            "url": session.get_absolute_url(),
        }
        for row in rows
        for session in row.sessions
    ]
    content = calendars.parts_calendar_for(
        event, parts, name=event.title, language=request.LANGUAGE_CODE
    )
    response = HttpResponse(content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="barcamp-{event.pk}.ics"'
    return response

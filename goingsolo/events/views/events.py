"""The lists of events, one event's page and registering for it, the one-click cancel
link of the emails, and what organisers do to an event: create, edit, cancel, reinstate,
delete."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.core.page_cache import kept_for_visitors
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.rules import Action

from .. import forms, rules, selectors, services
from ..emails import registration_from_token
from ..models import InterestCheck, RegistrationStatus
from .common import (
    event_for,
    frames_for_recordings,
    organiser_event_for,
    render_event_form,
    render_event_page,
    render_group_page,
    run_and_tell,
    save_posted,
)

# --- Lists ------------------------------------------------------------------------------------


@kept_for_visitors
def upcoming(request):
    events = selectors.upcoming_visible_events(user=request.user)
    selectors.with_registrations(user=request.user, events=events)
    return render(request, "events/upcoming.html", {"events": events})


@kept_for_visitors
@login_when_needed
def group_events(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    upcoming_events, past_events = selectors.group_events(group=access.group)
    selectors.with_registrations(user=request.user, events=upcoming_events + past_events)
    return render_group_page(
        request,
        "events/group_events.html",
        access,
        upcoming=upcoming_events,
        past=past_events,
        checks=selectors.open_checks(group=access.group),
        can_create=rules.can_create(request.user, access.group, access.membership),
    )


# --- One event --------------------------------------------------------------------------------


# The page a conference's link brings: kept for visitors (csp_replace goes above).
@frames_for_recordings
@kept_for_visitors
@login_when_needed
def event_detail(request, slug, event_id):
    access, event = event_for(request, slug, event_id)
    registration = selectors.registration_of(user=request.user, event=event)
    is_organiser = rules.can_organise(request.user, event, access.membership)
    return render_event_page(
        request,
        "events/event_detail.html",
        access,
        event,
        rsvp=selectors.registration_choices(
            user=request.user,
            event=event,
            registration=registration,
            membership=access.membership,
        ),
        is_organiser=is_organiser,
        can_delete=is_organiser and rules.can_delete(request.user, event, access.membership),
        show_online_link=rules.can_see_online_link(
            request.user, event, registration, access.membership
        ),
        form=forms.RegistrationForm(event=event, registration=registration),
        days=selectors.agenda(event=event),
        check=InterestCheck.objects.filter(event=event).first(),
    )


@require_POST
@login_when_needed
def event_register(request, slug, event_id):
    _viewer, event = event_for(request, slug, event_id, Action.POST)
    status = request.POST.get("status", "")
    form = forms.RegistrationForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Check your answers."))
        return redirect(event)
    run_and_tell(
        request,
        lambda: services.registration_set(
            event=event,
            user=request.user,
            status=status,
            answers=form.answers() if status == RegistrationStatus.GOING else None,
        ),
        _registered,
    )
    return redirect(event)


def _registered(registration):
    """What a member reads once their registration is REGISTRATION."""
    return {
        RegistrationStatus.GOING: _("You have a seat. A confirmation is on its way by email."),
        RegistrationStatus.WAITLISTED: _(
            "The event is full: you are on the waiting list. We will email you if a seat frees up."
        ),
        RegistrationStatus.INTERESTED: _("Noted: you are interested."),
        RegistrationStatus.NOT_GOING: _("Noted: you are not going."),
    }[registration.status]


def cancel_link(request, token):
    """The link in a confirmation: a page with one button, so that mail scanners that
    follow links do not cancel anything."""
    registration = registration_from_token(token)
    if registration is None:
        raise Http404
    event = registration.event
    if request.method == "POST" and not event.is_deleted and registration.holds_place:
        try:
            registration = services.registration_cancel(registration=registration)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("Noted: you are not going.")
                if event.is_cancelled
                else _("Noted: you are not going. Your seat goes to someone else."),
            )
        return redirect("events:cancel_link", token=token)
    return render(
        request,
        "events/cancel_link.html",
        {"registration": registration, "event": event, "group": event.group},
    )


# --- Organising an event ----------------------------------------------------------------------


@login_when_needed
def event_create(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    initial = {"time_zone": request.user.time_zone, "kind": "meetup"}
    form = forms.EventForm(request.POST or None, initial=initial)
    event = save_posted(
        request,
        form,
        lambda: services.event_create(group=access.group, by=request.user, **form.event_fields()),
        _("The event is created and announced in the group."),
    )
    if event:
        return redirect(event)
    return render_event_form(request, access, form)


@login_when_needed
def event_edit(request, slug, event_id):
    access, event = organiser_event_for(request, slug, event_id)
    form = forms.EventForm(request.POST or None, event=event)
    saved = save_posted(
        request,
        form,
        lambda: services.event_update(event=event, by=request.user, **form.event_fields()),
        _("The event is saved."),
    )
    if saved:
        return redirect(saved)
    return render_event_form(
        request,
        access,
        form,
        event=event,
        can_delete=rules.can_delete(request.user, event, access.membership),
    )


def _registered_count(event):
    return event.going_count + event.waitlist_count + event.interested_count


def _page_with_message(request, access, event, *, service, success, template, done, **context):
    """The page that cancels or deletes EVENT: it says what that does and takes the
    organiser's message for the people registered; its POST runs SERVICE, then goes where
    DONE(the event) says."""
    # Bound on POST even when empty: the message is optional.
    form = forms.CancellationForm(request.POST if request.method == "POST" else None)
    result = save_posted(
        request,
        form,
        lambda: service(event=event, by=request.user, message=form.cleaned_data["message"]),
        success,
    )
    if result:
        return done(result)
    return render_event_page(
        request, template, access, event, form=form, is_organiser=True, **context
    )


@login_when_needed
def event_cancel(request, slug, event_id):
    """A page that says what cancelling does, with the organiser's message; POST cancels."""
    access, event = organiser_event_for(request, slug, event_id)
    return _page_with_message(
        request,
        access,
        event,
        service=services.event_cancel,
        success=_("The event is cancelled. Everyone registered is told by email."),
        template="events/event_cancel.html",
        done=redirect,
        registered=_registered_count(event),
    )


@require_POST
@login_when_needed
def event_reinstate(request, slug, event_id):
    _viewer, event = organiser_event_for(request, slug, event_id)
    run_and_tell(
        request,
        lambda: services.event_reinstate(event=event, by=request.user),
        _("The event is back on. Everyone registered is told by email."),
    )
    return redirect(event)


@login_when_needed
def event_delete(request, slug, event_id):
    """A page that says what deleting does, with the organiser's message; POST deletes."""
    access, event = organiser_event_for(request, slug, event_id)
    if not rules.can_delete(request.user, event, access.membership):
        raise PermissionDenied(services.delete_refusal())
    return _page_with_message(
        request,
        access,
        event,
        service=services.event_delete,
        success=_("The event is deleted."),
        template="events/event_delete.html",
        done=lambda _deleted: redirect("events:group_events", slug=slug),
        # The people registered are told only when the event had not yet happened or been
        # cancelled (services.event_delete).
        tells=_registered_count(event) if not (event.is_cancelled or event.is_past) else 0,
    )

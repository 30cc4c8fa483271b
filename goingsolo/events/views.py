"""Web pages of events. Thin: each view checks the rules, calls a service, renders."""

import csv

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from goingsolo.groups.access import LoginRequired, group_access, login_when_needed
from goingsolo.groups.models import Group
from goingsolo.groups.rules import Action

from . import calendars, cities, forms, rules, selectors, services
from .emails import registration_from_token
from .models import (
    CalendarFeed,
    Event,
    InterestCheck,
    Registration,
    RegistrationStatus,
    Speaker,
    Talk,
)
from .recordings import frame_hosts

S = RegistrationStatus


def _event(request, slug, event_id, action=Action.VIEW_CONTENT):
    access = group_access(request, slug, action)
    event = get_object_or_404(
        Event.objects.select_related("group", "cancelled_by"), pk=event_id, group=access.group
    )
    event.group = access.group
    return access, event


def _organiser_event(request, slug, event_id):
    access, event = _event(request, slug, event_id)
    if not rules.can_organise(request.user, event, access.membership):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied(_("Only the event’s organisers can see this page."))
    return access, event


def _frames_for_recordings(view):
    """Pages that may show a recording allow frames from the video players only."""
    return csp_replace({"frame-src": frame_hosts()})(view)


# --- Lists ------------------------------------------------------------------------------------


def upcoming(request):
    events = selectors.upcoming_visible_events(user=request.user)
    selectors.with_registrations(user=request.user, events=events)
    return render(request, "events/upcoming.html", {"events": events})


@login_when_needed
def group_events(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    upcoming_events, past_events = selectors.group_events(group=access.group)
    selectors.with_registrations(user=request.user, events=upcoming_events + past_events)
    return render(
        request,
        "events/group_events.html",
        {
            "group": access.group,
            "access": access,
            "upcoming": upcoming_events,
            "past": past_events,
            "checks": selectors.open_checks(group=access.group, limit=None),
            "can_create": rules.can_create(request.user, access.group, access.membership),
        },
    )


# --- One event --------------------------------------------------------------------------------


def _time_zone_names():
    return forms.time_zone_names()


@login_when_needed
def event_create(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    initial = {"time_zone": request.user.time_zone, "kind": "meetup"}
    form = forms.EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                group=access.group, by=request.user, **form.event_fields()
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The event is created and announced in the group."))
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"group": access.group, "access": access, "form": form, "zones": _time_zone_names()},
    )


@login_when_needed
def event_edit(request, slug, event_id):
    access, event = _organiser_event(request, slug, event_id)
    form = forms.EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.event_fields())
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "form": form,
            "zones": _time_zone_names(),
            "can_delete": rules.can_delete(request.user, event, access.membership),
        },
    )


def _registered_count(event):
    return event.going_count + event.waitlist_count + event.interested_count


@login_when_needed
def event_cancel(request, slug, event_id):
    """A page that says what cancelling does, with the organiser's message; POST cancels."""
    access, event = _organiser_event(request, slug, event_id)
    # Bound on POST even when empty: the message is optional.
    form = forms.CancellationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                event=event, by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request, _("The event is cancelled. Everyone registered is told by email.")
            )
            return redirect(event)
    return render(
        request,
        "events/event_cancel.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "form": form,
            "registered": _registered_count(event),
            "is_organiser": True,
        },
    )


@require_POST
@login_when_needed
def event_reinstate(request, slug, event_id):
    _viewer, event = _organiser_event(request, slug, event_id)
    try:
        services.event_reinstate(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event is back on. Everyone registered is told by email."))
    return redirect(event)


@login_when_needed
def event_delete(request, slug, event_id):
    """A page that says what deleting does, with the organiser's message; POST deletes."""
    access, event = _organiser_event(request, slug, event_id)
    if not rules.can_delete(request.user, event, access.membership):
        raise PermissionDenied(services.delete_refusal())
    # Bound on POST even when empty: the message is optional.
    form = forms.CancellationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_delete(
                event=event, by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The event is deleted."))
            return redirect("events:group_events", slug=slug)
    return render(
        request,
        "events/event_delete.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "form": form,
            # The people registered are told only when the event had not yet happened or
            # been cancelled (services.event_delete).
            "tells": _registered_count(event) if not (event.is_cancelled or event.is_past) else 0,
            "is_organiser": True,
        },
    )


@_frames_for_recordings
@login_when_needed
def event_detail(request, slug, event_id):
    access, event = _event(request, slug, event_id)
    registration = selectors.registration_of(user=request.user, event=event)
    is_organiser = rules.can_organise(request.user, event, access.membership)
    return render(
        request,
        "events/event_detail.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "registration": registration,
            "position": selectors.waitlist_position(registration=registration),
            "can_register": rules.can_register(request.user, access.group, access.membership),
            "is_organiser": is_organiser,
            "can_delete": is_organiser and rules.can_delete(request.user, event, access.membership),
            "show_online_link": rules.can_see_online_link(
                request.user, event, registration, access.membership
            ),
            "form": forms.RegistrationForm(event=event, registration=registration),
            "days": selectors.agenda(event=event),
            "check": InterestCheck.objects.filter(event=event).first(),
        },
    )


@require_POST
@login_when_needed
def event_register(request, slug, event_id):
    _viewer, event = _event(request, slug, event_id, Action.POST)
    status = request.POST.get("status", "")
    form = forms.RegistrationForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Check your answers."))
        return redirect(event)
    try:
        registration = services.registration_set(
            event=event,
            user=request.user,
            status=status,
            answers=form.answers() if status == S.GOING else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    text = {
        S.GOING: _("You have a seat. A confirmation is on its way by email."),
        S.WAITLISTED: _(
            "The event is full: you are on the waiting list. We will email you if a seat frees up."
        ),
        S.INTERESTED: _("Noted: you are interested."),
        S.NOT_GOING: _("Noted: you are not going."),
    }[registration.status]
    messages.success(request, text)
    return redirect(event)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_when_needed
def event_ics(request, slug, event_id):
    _viewer, event = _event(request, slug, event_id)
    registration = selectors.registration_of(user=request.user, event=event)
    online = [event.pk] if rules.can_see_online_link(request.user, event, registration) else []
    return _ics_response(
        calendars.calendar_for([event], language=request.LANGUAGE_CODE, online_link_for=online),
        f"event-{event.pk}.ics",
    )


# --- Calendars --------------------------------------------------------------------------------


def group_feed(request, slug):
    """A group's events as a calendar. Calendar applications cannot log in: the member's
    secret calendar token (?token=…) says who is asking; without it, the visitor's
    session does. A group whose events the reader may not see does not exist here."""
    token = request.GET.get("token", "")
    user = selectors.feed_user(token=token) if token else request.user
    if user is None:
        raise Http404
    group = get_object_or_404(Group, slug=slug)
    if not rules.can_view(user, group):
        raise Http404
    events = list(Event.objects.filter(group=group).order_by("starts_at", "pk"))
    for event in events:
        event.group = group
    language = (getattr(user, "language", "") or request.LANGUAGE_CODE) or "en"
    return _ics_response(
        calendars.calendar_for(events, name=group.name, language=language),
        f"{group.slug}.ics",
    )


def personal_feed(request, token):
    user = selectors.feed_user(token=token)
    if user is None:
        raise Http404
    events = selectors.events_for_personal_feed(user=user)
    return _ics_response(
        calendars.calendar_for(
            events,
            name=_("My events on %(site)s") % {"site": settings.SITE_NAME},
            language=user.preferred_language,
            online_link_for=[event.pk for event in events],
        ),
        "my-events.ics",
    )


@login_required
def my_calendar(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar address is turned off."))
        else:
            services.calendar_feed_renew(user=request.user)
            messages.success(
                request,
                _("Your calendar has a new address. The old one, if any, no longer works."),
            )
        return redirect("events:my_calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "events/my_calendar.html",
        {
            "feed_url": settings.SITE_URL + feed.get_absolute_url() if feed else "",
            "events": selectors.events_for_personal_feed(user=request.user),
        },
    )


def cancel_link(request, token):
    """The link in a confirmation: a page with one button, so that mail scanners that
    follow links do not cancel anything."""
    registration = registration_from_token(token)
    if registration is None:
        raise Http404
    event = registration.event
    if (
        request.method == "POST"
        and not event.is_deleted
        and registration.status in (S.GOING, S.WAITLISTED)
    ):
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


# --- Organisers -------------------------------------------------------------------------------


@login_when_needed
def attendees(request, slug, event_id):
    access, event = _organiser_event(request, slug, event_id)
    return render(
        request,
        "events/attendees.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "registrations": _with_answer_lists(selectors.attendees(event=event), event),
            "is_organiser": True,
        },
    )


def _with_answer_lists(registrations, event):
    """Each registration's answers in the order of the event's questions, whatever the
    language they were asked in."""
    count = len(event.questions)
    for registration in registrations:
        answers = event.answers_by_position(registration.answers)
        registration.answer_list = [answers.get(index, "") for index in range(count)]
    return registrations


def csv_safe(value):
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _spreadsheet_time(value, zone):
    """ "2026-12-03 18:30" in ZONE: ISO 8601 that spreadsheets read as a date and time (the
    column's header names the zone), "" for no time."""
    if value is None:
        return ""
    return timezone.localtime(value, zone).replace(tzinfo=None).isoformat(" ", "minutes")


@login_when_needed
def attendees_csv(request, slug, event_id):
    _viewer, event = _organiser_event(request, slug, event_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    response.write("\ufeff")  # spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    header = [
        pgettext("attendee list", "Name"),
        pgettext("attendee list", "Email"),
        pgettext("attendee list", "City"),
        pgettext("attendee list", "Status"),
        # Times in the event's zone, as its pages show them, and the header says which.
        pgettext("attendee list", "Registered (%(zone)s)") % {"zone": event.time_zone},
        pgettext("attendee list", "Checked in (%(zone)s)") % {"zone": event.time_zone},
    ]
    writer.writerow([csv_safe(cell) for cell in [*header, *event.questions]])
    for registration in _with_answer_lists(selectors.attendees(event=event), event):
        user = registration.user
        row = [
            user.name,
            user.email,
            user.city,
            registration.get_status_display(),
            _spreadsheet_time(registration.created_at, event.zone),
            _spreadsheet_time(registration.checked_in_at, event.zone),
            *registration.answer_list,
        ]
        writer.writerow([csv_safe(cell) for cell in row])
    return response


@login_when_needed
def checkin(request, slug, event_id):
    access, event = _organiser_event(request, slug, event_id)
    going = selectors.going(event=event)
    return render(
        request,
        "events/checkin.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "registrations": going,
            "arrived": sum(1 for r in going if r.checked_in_at),
        },
    )


@require_POST
@login_when_needed
def checkin_toggle(request, slug, event_id, registration_id):
    access, event = _organiser_event(request, slug, event_id)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=registration_id, event=event
    )
    try:
        registration = services.check_in(
            registration=registration, by=request.user, present=request.POST.get("present") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        going = Registration.objects.filter(event=event, status=S.GOING)
        return render(
            request,
            "events/_checkin_row.html",
            {
                "group": access.group,
                "event": event,
                "registration": registration,
                "oob": True,
                "total": going.count(),
                "arrived": going.filter(checked_in_at__isnull=False).count(),
            },
        )
    return redirect("events:checkin", slug=slug, event_id=event.pk)


@login_when_needed
def message_attendees(request, slug, event_id):
    access, event = _organiser_event(request, slug, event_id)
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.attendees_message(
                event=event,
                by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your message is on its way to %(count)d attendees.")
                % {"count": message.recipient_count},
            )
            return redirect("events:message", slug=slug, event_id=event.pk)
    return render(
        request,
        "events/message.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "form": form,
            "sent": event.messages.select_related("sent_by")[:20],
            "is_organiser": True,
        },
    )


# --- Agenda, speakers, recordings -------------------------------------------------------------


@login_when_needed
def agenda(request, slug, event_id):
    access, event = _event(request, slug, event_id)
    return render(
        request,
        "events/agenda.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "days": selectors.agenda(event=event),
            "speakers": selectors.speakers(event=event),
            "is_organiser": rules.can_organise(request.user, event, access.membership),
        },
    )


@login_when_needed
def speaker_detail(request, slug, event_id, speaker_id):
    access, event = _event(request, slug, event_id)
    speaker = get_object_or_404(Speaker.objects.select_related("user"), pk=speaker_id, event=event)
    return render(
        request,
        "events/speaker.html",
        {
            "group": access.group,
            "access": access,
            "event": event,
            "speaker": speaker,
            "talks": selectors.speaker_talks(speaker=speaker),
            "is_organiser": rules.can_organise(request.user, event, access.membership),
        },
    )


@login_when_needed
def speaker_form(request, slug, event_id, speaker_id=None):
    access, event = _organiser_event(request, slug, event_id)
    speaker = get_object_or_404(Speaker, pk=speaker_id, event=event) if speaker_id else None
    initial = {}
    if speaker is not None:
        initial = {
            "handle": speaker.user.handle if speaker.user else "",
            "name": speaker.name,
            "bio": speaker.bio,
            "website": speaker.website,
        }
    form = forms.SpeakerForm(request.POST or None, group=access.group, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            speaker = services.speaker_save(
                event=event,
                by=request.user,
                user=data["user"],
                name=data["name"],
                bio=data["bio"],
                website=data["website"],
                speaker=speaker,
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The speaker is saved."))
            return redirect("events:agenda", slug=slug, event_id=event.pk)
    return render(
        request,
        "events/speaker_form.html",
        {"group": access.group, "access": access, "event": event, "form": form, "speaker": speaker},
    )


@login_when_needed
def talk_form(request, slug, event_id, talk_id=None):
    access, event = _organiser_event(request, slug, event_id)
    talk = get_object_or_404(Talk, pk=talk_id, event=event) if talk_id else None
    form = forms.TalkForm(request.POST or None, request.FILES or None, event=event, talk=talk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.talk_save(
                event=event,
                by=request.user,
                talk=talk,
                title=data["title"],
                abstract=data["abstract"],
                language=data["language"],
                speakers=list(data["speakers"]),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                room=data["room"],
                recording_url=data["recording_url"],
                slides_url=data["slides_url"],
                slides_file=data["slides_file"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The talk is saved."))
            return redirect("events:agenda", slug=slug, event_id=event.pk)
    return render(
        request,
        "events/talk_form.html",
        {"group": access.group, "access": access, "event": event, "form": form, "talk": talk},
    )


@require_POST
@login_when_needed
def talk_delete(request, slug, event_id, talk_id):
    _viewer, event = _organiser_event(request, slug, event_id)
    talk = get_object_or_404(Talk, pk=talk_id, event=event)
    services.talk_delete(talk=talk, by=request.user)
    messages.success(request, _("The talk is removed from the agenda."))
    return redirect("events:agenda", slug=slug, event_id=event.pk)


@_frames_for_recordings
@login_when_needed
def talk_watch(request, slug, event_id, talk_id):
    """The recording itself, embedded: reached by a click, so the player loads only then."""
    access, event = _event(request, slug, event_id)
    talk = get_object_or_404(Talk.objects.prefetch_related("speakers"), pk=talk_id, event=event)
    if not talk.recording_embed_url:
        raise Http404
    return render(
        request,
        "events/watch.html",
        {"group": access.group, "access": access, "event": event, "talk": talk},
    )


@login_when_needed
def talk_slides(request, slug, event_id, talk_id):
    _viewer, event = _event(request, slug, event_id)
    talk = get_object_or_404(Talk, pk=talk_id, event=event)
    if not talk.slides_file:
        raise Http404
    return FileResponse(
        talk.slides_file.open("rb"),
        as_attachment=True,
        filename=talk.slides_file.name.rsplit("/", 1)[-1],
    )


# --- Interest checks and reach ----------------------------------------------------------------


@login_when_needed
def check_list(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    return render(
        request,
        "events/check_list.html",
        {
            "group": access.group,
            "access": access,
            "checks": selectors.group_checks(group=access.group),
            "can_create": rules.can_create(request.user, access.group, access.membership),
        },
    )


@login_when_needed
def check_create(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    form = forms.InterestCheckForm(request.POST or None, initial={"kind": "barcamp"})
    if request.method == "POST" and form.is_valid():
        try:
            check = services.interest_check_open(
                group=access.group, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Your question is open: members can answer it now."))
            return redirect(check)
    return render(
        request,
        "events/check_form.html",
        {
            "group": access.group,
            "access": access,
            "form": form,
            "cities": selectors.member_city_names(group=access.group),
        },
    )


def _check(request, slug, check_id, action=Action.VIEW_CONTENT):
    access = group_access(request, slug, action)
    check = get_object_or_404(
        InterestCheck.objects.select_related("event", "created_by"), pk=check_id, group=access.group
    )
    check.group = access.group
    return access, check


@login_when_needed
def check_detail(request, slug, check_id):
    access, check = _check(request, slug, check_id)
    answer = selectors.answer_of(user=request.user, check=check)
    initial = (
        {
            "answer": answer.answer,
            "from_city": answer.from_city,
            "from_country": answer.from_country,
        }
        if answer
        else {}
    )
    is_organiser = rules.can_organise_check(request.user, check, access.membership)
    by_city, by_country = selectors.answers_by_place(check=check) if is_organiser else ([], [])
    return render(
        request,
        "events/check_detail.html",
        {
            "group": access.group,
            "access": access,
            "check": check,
            "answer": answer,
            "form": forms.InterestAnswerForm(initial=initial),
            "can_answer": check.is_open
            and rules.can_register(request.user, access.group, access.membership),
            "is_organiser": is_organiser,
            "by_city": by_city,
            "by_country": by_country,
            "conversion": selectors.check_conversion(check=check),
        },
    )


@require_POST
@login_when_needed
def check_answer(request, slug, check_id):
    _viewer, check = _check(request, slug, check_id, Action.POST)
    form = forms.InterestAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.interest_answer(check=check, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you, your answer is saved."))
    else:
        messages.error(request, _("Choose yes, maybe or no."))
    return redirect(check)


@require_POST
@login_when_needed
def check_close(request, slug, check_id):
    _viewer, check = _check(request, slug, check_id)
    services.interest_check_close(check=check, by=request.user)
    messages.success(request, _("The question is closed."))
    return redirect(check)


@login_when_needed
def check_convert(request, slug, check_id):
    access, check = _check(request, slug, check_id)
    if not rules.can_organise_check(request.user, check, access.membership):
        raise PermissionDenied(_("Only the organiser can do this."))
    initial = forms.event_initial_from_check(check, request.user.time_zone)
    form = forms.EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.interest_check_convert(
                check=check, by=request.user, **form.event_fields()
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The event is created; the %(count)d people who said yes are registered.")
                % {"count": check.yes_count},
            )
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {
            "group": access.group,
            "access": access,
            "form": form,
            "check": check,
            "zones": _time_zone_names(),
        },
    )


@login_when_needed
def reach(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    query = request.GET.copy()
    query.setdefault("radius", str(cities.DEFAULT_RADIUS_KM))
    form = forms.ReachForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    radius = data.get("radius", cities.DEFAULT_RADIUS_KM)
    chosen, table, unknown, without_city = selectors.reach(
        group=access.group, radius_km=radius, city=data.get("city", "")
    )
    return render(
        request,
        "events/reach.html",
        {
            "group": access.group,
            "access": access,
            "form": form,
            "chosen": chosen,
            "table": table,
            "unknown": unknown,
            "without_city": without_city,
            "radius": radius,
            "cities": selectors.member_city_names(group=access.group),
        },
    )

"""The organisers' pages about the people registered: the attendee list and its CSV file,
the check-in at the door (htmx, docs/contributing.md), and messages to attendees."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from goingsolo.groups.access import login_when_needed

from .. import forms, selectors, services
from ..models import Registration
from .common import organiser_event_for, render_event_page, save_posted


@login_when_needed
def attendees(request, slug, event_id):
    access, event = organiser_event_for(request, slug, event_id)
    return render_event_page(
        request,
        "events/attendees.html",
        access,
        event,
        registrations=selectors.attendees(event=event),
        is_organiser=True,
    )


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
    _viewer, event = organiser_event_for(request, slug, event_id)
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
    for registration in selectors.attendees(event=event):
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
    access, event = organiser_event_for(request, slug, event_id)
    going = selectors.going(event=event)
    return render_event_page(
        request,
        "events/checkin.html",
        access,
        event,
        registrations=going,
        arrived=sum(1 for registration in going if registration.checked_in_at),
    )


@require_POST
@login_when_needed
def checkin_toggle(request, slug, event_id, registration_id):
    """Marks a person arrived (or not). With htmx, answers the row (`_checkin_row.html`,
    with the service's refusal in it) and the count out of band; without, goes back to
    the check-in page."""
    access, event = organiser_event_for(request, slug, event_id)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=registration_id, event=event
    )
    error = None
    try:
        registration = services.check_in(
            registration=registration, by=request.user, present=request.POST.get("present") == "1"
        )
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    if request.htmx:
        arrived, total = selectors.checkin_counts(event=event)
        return render(
            request,
            "events/_checkin_row.html",
            {
                "group": access.group,
                "event": event,
                "registration": registration,
                "error": error,
                "oob": True,
                "total": total,
                "arrived": arrived,
            },
        )
    if error:
        messages.error(request, error)
    return redirect("events:checkin", slug=slug, event_id=event.pk)


@login_when_needed
def message_attendees(request, slug, event_id):
    access, event = organiser_event_for(request, slug, event_id)
    form = forms.MessageForm(request.POST or None)
    sent = save_posted(
        request,
        form,
        lambda: services.attendees_message(
            event=event,
            by=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        ),
        lambda message: (
            _("Your message is on its way to %(count)d attendees.")
            % {"count": message.recipient_count}
        ),
    )
    if sent:
        return redirect("events:message", slug=slug, event_id=event.pk)
    return render_event_page(
        request,
        "events/message.html",
        access,
        event,
        form=form,
        sent=event.messages.select_related("sent_by")[:20],
        is_organiser=True,
    )

"""What the events' views share: the event or check a URL names, checked against the
visitor's access, and the one way a form's POST runs a service."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from goingsolo.core.forms import add_service_errors
from goingsolo.groups.access import LoginRequired, group_access
from goingsolo.groups.rules import Action

from .. import forms, rules
from ..models import Event, InterestCheck
from ..recordings import frame_hosts


def _in_group(request, slug, action, queryset, pk):
    """(the visitor's access to the group SLUG, the row PK of QUERYSET in that group)."""
    access = group_access(request, slug, action)
    row = get_object_or_404(queryset, pk=pk, group=access.group)
    row.group = access.group
    return access, row


def event_for(request, slug, event_id, action=Action.VIEW_CONTENT):
    """(the visitor's access to the group, the event) for a page of the event."""
    queryset = Event.objects.select_related("group", "cancelled_by")
    return _in_group(request, slug, action, queryset, event_id)


def organiser_event_for(request, slug, event_id):
    """As `event_for`, for the pages of the event's organisers only (login, else 403)."""
    access, event = event_for(request, slug, event_id)
    if not rules.can_organise(request.user, event, access.membership):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied(_("Only the event’s organisers can see this page."))
    return access, event


def check_for(request, slug, check_id, action=Action.VIEW_CONTENT):
    """(the visitor's access to the group, the interest check) for a page of the check."""
    queryset = InterestCheck.objects.select_related("event", "created_by", "announcement_thread")
    return _in_group(request, slug, action, queryset, check_id)


def render_group_page(request, template, access, **context):
    """TEMPLATE, a page of the group ACCESS is to (its navigation needs both)."""
    return render(request, template, {"group": access.group, "access": access, **context})


def render_event_page(request, template, access, event, **context):
    """TEMPLATE, a page of EVENT in the group ACCESS is to."""
    return render_group_page(request, template, access, event=event, **context)


def frames_for_recordings(view):
    """Pages that may show a recording allow frames from the video players only."""
    return csp_replace({"frame-src": frame_hosts()})(view)


def render_event_form(request, access, form, **context):
    """The event form: a new event, an event's changes, or an interest check's event."""
    return render_group_page(
        request,
        "events/event_form.html",
        access,
        form=form,
        zones=forms.time_zone_names(),
        **context,
    )


def _said(success, result):
    return success(result) if callable(success) else success


def run_and_tell(request, run, success):
    """Runs RUN(), the service a button asks for, and tells the member how it went on the
    page they go back to: SUCCESS (a text, or a function of the result) or the service's
    refusal. Returns RUN's result, or None when it was refused."""
    try:
        result = run()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, _said(success, result))
    return result


def save_posted(request, form, save, success):
    """Runs SAVE(), the service a valid POST of FORM asks for, and returns its result (a
    row), after telling the member SUCCESS (a text, or a function of the result).

    Returns None when nothing was saved: no POST, an invalid form, or the service's
    refusal, whose errors are then on FORM for the page to show again.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _said(success, result))
    return result

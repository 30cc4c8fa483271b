"""What the events' views share: the event or check a URL names, checked against the
visitor's access, and the one way a form's POST runs a service."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from goingsolo.core.forms import add_service_errors
from goingsolo.groups.access import LoginRequired, group_access
from goingsolo.groups.rules import Action

from .. import rules
from ..models import Event, InterestCheck
from ..recordings import frame_hosts


def event_for(request, slug, event_id, action=Action.VIEW_CONTENT):
    """(the visitor's access to the group, the event) for a page of the event."""
    access = group_access(request, slug, action)
    event = get_object_or_404(
        Event.objects.select_related("group", "cancelled_by"), pk=event_id, group=access.group
    )
    event.group = access.group
    return access, event


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
    access = group_access(request, slug, action)
    check = get_object_or_404(
        InterestCheck.objects.select_related("event", "created_by"), pk=check_id, group=access.group
    )
    check.group = access.group
    return access, check


def frames_for_recordings(view):
    """Pages that may show a recording allow frames from the video players only."""
    return csp_replace({"frame-src": frame_hosts()})(view)


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
    messages.success(request, success(result) if callable(success) else success)
    return result

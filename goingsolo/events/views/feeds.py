"""Calendar files (`events/calendars.py` writes them): one event's, a group's feed, a
member's personal feed, and the page where the member makes or turns off its address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from goingsolo.groups.access import login_when_needed
from goingsolo.groups.models import Group

from .. import calendars, rules, selectors, services
from ..models import CalendarFeed, Event
from .common import event_for


def _ics_response(content, filename):
    response = HttpResponse(content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_when_needed
def event_ics(request, slug, event_id):
    _viewer, event = event_for(request, slug, event_id)
    registration = selectors.registration_of(user=request.user, event=event)
    online = [event.pk] if rules.can_see_online_link(request.user, event, registration) else []
    return _ics_response(
        calendars.calendar_for([event], language=request.LANGUAGE_CODE, online_link_for=online),
        f"event-{event.pk}.ics",
    )


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

"""Cancelling, reinstating and deleting an event. Each tells the people registered (by
email and in the app) and the announcement thread, as its docstring lists."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.accounts.models import Notification
from goingsolo.core.markdown import render_plain

from .. import notifications, rules
from ..models import Event
from ..text import when_where_line, when_where_lines
from ..validators import clean_cancellation_message
from .announcements import reply_in_announcement
from .registrations import promote_waitlisted
from .shared import REGISTERED, email_registered, index_on_commit, locked_event, require


def _mark_cancelled(event, by, message):
    event.cancelled_at = timezone.now()
    event.cancelled_by = by
    event.cancellation_message = message
    event.sequence += 1  # calendar applications replace their copy with the cancelled one
    event.updated_at = event.cancelled_at


def _cancellation_lines(event, message):
    lines = ["**" + _("This event is cancelled.") + "**"]
    if message:
        lines += ["", message]
    return lines


def _notify_registered(event, kind, by, excerpt):
    notifications.notify_registered(event, kind=kind, by=by, statuses=REGISTERED, excerpt=excerpt)


def _tell_cancelled(event, by, message):
    """Everyone registered hears that EVENT is cancelled, with MESSAGE: by email on commit,
    and in the app."""
    email_registered(event, "event_cancelled_by_organiser")
    _notify_registered(event, Notification.Kind.EVENT_CANCELLED, by, render_plain(message))


@transaction.atomic
def event_cancel(*, event, by, message=""):
    """BY cancels EVENT, telling everyone registered MESSAGE (optional); returns the event.

    The event stays visible, marked cancelled, and closed to registration; registrations
    are kept as they are, so that reinstating it finds them again. Refused when it is
    already cancelled or over.
    Side effects: SEQUENCE bumped (calendars show it cancelled); a reply in the
    announcement thread with MESSAGE (with the side effects of `post_reply`); an in-app
    notification to each person going, waiting or interested; on commit, an email to each
    of them, in their language, with MESSAGE and a calendar file that cancels the event
    (METHOD:CANCEL).
    """
    event = locked_event(event)
    require(rules.can_organise(by, event), _("Only the event’s organisers can cancel it."))
    message = clean_cancellation_message(message)
    if event.is_cancelled:
        raise ValidationError(_("This event is already cancelled."))
    if event.is_past:
        raise ValidationError(_("This event is over: it can no longer be cancelled."))
    _mark_cancelled(event, by, message)
    event.save()
    reply_in_announcement(event, by, lambda: _cancellation_lines(event, message))
    _tell_cancelled(event, by, message)
    return event


@transaction.atomic
def event_reinstate(*, event, by):
    """BY reinstates cancelled EVENT, which has not started; returns the event.

    Registrations are as they were when it was cancelled (people could only give up
    their place since); seats given up meanwhile go to the waiting list now, in order.
    Side effects: SEQUENCE bumped; a reply in the announcement thread; an in-app
    notification to everyone registered; on commit, everyone registered is emailed that the
    event is back on (with the calendar file for those with a seat), and those who get a
    freed seat are emailed that instead.
    """
    event = locked_event(event)
    require(rules.can_organise(by, event), _("Only the event’s organisers can reinstate it."))
    if not event.is_cancelled:
        raise ValidationError(_("This event is not cancelled."))
    if event.has_started:
        raise ValidationError(_("This event has started: it can no longer be reinstated."))
    event.cancelled_at = None
    event.cancelled_by = None
    event.cancellation_message = ""
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    promoted = promote_waitlisted(event)

    def lines():
        news = _("This event is back on: it is no longer cancelled.")
        return ["**" + news + "**", "", *when_where_lines(event)]

    reply_in_announcement(event, by, lines)
    email_registered(event, "event_reinstated", exclude=promoted)
    _notify_registered(event, Notification.Kind.EVENT_REINSTATED, by, when_where_line(event))
    return event


def delete_refusal():
    """What an organiser who may not delete their event is told (rules.can_delete)."""
    return _(
        "Other people are registered for this event: only the group’s admins can delete it. "
        "You can cancel it."
    )


@transaction.atomic
def event_delete(*, event, by, message=""):
    """BY deletes EVENT: it leaves every list, search and calendar; returns the event.

    Deleting is soft, as for discussions: the row, its registrations and messages stay
    (`deleted_at`). An event that is not over and not cancelled is cancelled first, so
    everyone registered is told as for a cancellation, with MESSAGE (optional).
    Side effects: a reply in the announcement thread, which stays (with the side effects
    of `post_reply`); on commit, the event leaves the search index, and the people
    registered are emailed, and notified in the app, when the event is cancelled by the
    deletion.
    """
    event = Event.all_objects.select_for_update().select_related("group").get(pk=event.pk)
    require(rules.can_organise(by, event), _("Only the event’s organisers can delete it."))
    require(rules.can_delete(by, event), delete_refusal())
    if event.is_deleted:
        raise ValidationError(_("This event was already deleted."))
    message = clean_cancellation_message(message)
    tell_registered = not event.is_cancelled and not event.is_past
    if tell_registered:
        _mark_cancelled(event, by, message)
    event.deleted_at = timezone.now()
    event.deleted_by = by
    event.save()

    def lines():
        if tell_registered:
            news = _("This event is cancelled and removed from the group’s events.")
        else:
            news = _("This event is removed from the group’s events.")
        said = ["**" + news + "**", _("This thread stays.")]
        return [*said, "", message] if message else said

    reply_in_announcement(event, by, lines)
    if tell_registered:
        _tell_cancelled(event, by, message)
    index_on_commit(event)
    return event

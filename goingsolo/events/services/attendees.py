"""What organisers do with the people who have a seat: check them in at the door, write to
them; and the reminder every seat gets the day before."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.text import fit_names

from .. import rules, tasks
from ..models import EventMessage, Registration, RegistrationStatus
from .shared import REMINDER_AHEAD, email_on_commit, require


@transaction.atomic
def check_in(*, registration, by, present=True):
    """BY marks the holder of REGISTRATION as arrived (or not); returns the registration."""
    registration = Registration.objects.select_related("event__group").get(pk=registration.pk)
    require(
        rules.can_organise(by, registration.event), _("Only the event’s organisers can check in.")
    )
    if not registration.has_seat:
        raise ValidationError(_("Only people with a seat can be checked in."))
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at"])
    return registration


@transaction.atomic
def attendees_message(*, event, by, subject, body):
    """BY emails every person with a seat at EVENT; returns the stored EventMessage.

    Side effects on commit: one email per attendee, framed in their language (the text
    is the organiser's, as written).
    """
    require(rules.can_organise(by, event), _("Only the event’s organisers can write to attendees."))
    errors = {}
    subject, body = (
        fit_names(EventMessage, errors, subject=subject)["subject"],
        (body or "").strip(),
    )
    if not subject:
        errors["subject"] = _("Give the message a subject.")
    if not body:
        errors["body"] = _("Write a message.")
    if errors:
        raise ValidationError(errors)
    registrations = list(Registration.objects.filter(event=event, status=RegistrationStatus.GOING))
    message = EventMessage.objects.create(
        event=event, sent_by=by, subject=subject, body=body, recipient_count=len(registrations)
    )
    for registration in registrations:
        email_on_commit(registration, "event_message", message_id=message.pk)
    return message


def reminders_queue(*, now=None):
    """Queues the reminder of every seat at an event that starts in the next 24 hours and
    was not reminded yet; returns how many. Safe to run as often as wanted, and by
    several processes at once: each reminder is claimed once.

    Side effects on commit: one reminder email per claimed seat, in the member's language.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = Registration.objects.filter(
            status=RegistrationStatus.GOING,
            reminder_sent_at__isnull=True,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_AHEAD,
            event__cancelled_at__isnull=True,
            event__deleted_at__isnull=True,
        )
        ids = list(
            due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=ids, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        for registration_id in ids:
            transaction.on_commit(
                lambda pk=registration_id: tasks.send_registration_email.enqueue(
                    registration_id=pk, name="event_reminder", extra={}
                )
            )
    return len(ids)

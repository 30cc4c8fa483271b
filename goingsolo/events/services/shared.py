"""What the use cases share: the event's lock, its counters, permissions refused with a
message, the groups of fields a change is told by, and the side effects queued on commit.

Registrations for one event are serialised on the event's row (`locked_event`):
`select_for_update()` on PostgreSQL; on SQLite every write transaction starts with BEGIN
IMMEDIATE (`transaction_mode` in the settings), which serialises writers. The seats are
counted inside that lock, so an event is never overbooked.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from .. import tasks
from ..models import Event, Registration, RegistrationStatus

# A seat taken, or given, this close to the start gets no separate reminder.
REMINDER_AHEAD = timedelta(hours=24)
# Everyone registered: told of a cancellation, a reinstatement, a new time or place.
REGISTERED = (
    RegistrationStatus.GOING,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.INTERESTED,
)

# Fields grouped by what the announcement thread and the people registered hear of a change.
TITLE_FIELDS = {"title_en", "title_fr"}
TIME_FIELDS = {"starts_at", "ends_at", "time_zone"}
PLACE_FIELDS = {"venue_name", "address", "city", "country"}
# Fields of an event that calendar applications care about: a change bumps SEQUENCE.
CALENDAR_FIELDS = TIME_FIELDS | PLACE_FIELDS | {"online_url"}


def require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def locked_event(event):
    """EVENT's row, locked until the transaction ends (see the module's docstring), with its
    group. A deleted event is refused: nothing changes it any more."""
    event = Event.all_objects.select_for_update().select_related("group").get(pk=event.pk)
    if event.is_deleted:
        raise ValidationError(_("This event was deleted."))
    return event


def counts_by(queryset, field):
    """{value of FIELD: how many rows of QUERYSET have it}, in one query."""
    return dict(queryset.values(field).annotate(n=Count("pk")).values_list(field, "n"))


def recount(event):
    """Writes the registration counters of EVENT (locked by the caller)."""
    counts = counts_by(Registration.objects.filter(event=event), "status")
    event.going_count = counts.get(RegistrationStatus.GOING, 0)
    event.waitlist_count = counts.get(RegistrationStatus.WAITLISTED, 0)
    event.interested_count = counts.get(RegistrationStatus.INTERESTED, 0)
    Event.objects.filter(pk=event.pk).update(
        going_count=event.going_count,
        waitlist_count=event.waitlist_count,
        interested_count=event.interested_count,
    )


def email_on_commit(registration, name, **extra):
    """Queues message NAME (events/emails.py) about REGISTRATION once the transaction commits."""
    transaction.on_commit(
        lambda: tasks.send_registration_email.enqueue(
            registration_id=registration.pk, name=name, extra=extra
        )
    )


def index_on_commit(event):
    transaction.on_commit(lambda: tasks.index_event.enqueue(event_id=event.pk))


def email_registered(event, name, statuses=REGISTERED, exclude=(), **extra):
    """Queues message NAME to each person registered for EVENT with one of STATUSES."""
    registrations = Registration.objects.filter(event=event, status__in=statuses).exclude(
        pk__in=[registration.pk for registration in exclude]
    )
    for registration in registrations:
        email_on_commit(registration, name, **extra)

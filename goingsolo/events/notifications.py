"""The news of an event in the app: a new time or place, a cancellation, a reinstatement,
for the people registered, as their emails say it (`services`), and so on their devices.

Stored once per recipient, so the event's title and the times of the excerpt are in the
recipient's language; the organiser's message stays as they wrote it.
"""

import re

from django.utils import translation

from goingsolo.accounts.models import Notification
from goingsolo.accounts.services import notifications_created

from .models import Registration

EXCERPT_CHARS = 140


def notify_registered(event, *, kind, by, statuses, excerpt=""):
    """Creates a notification of KIND about EVENT for each active person registered with
    one of STATUSES, except BY (who made the change); returns how many. EXCERPT: a text,
    or a function that writes it in the active language (called in each recipient's)."""
    registrations = (
        Registration.objects.filter(event=event, status__in=statuses, user__is_active=True)
        .exclude(user=by)
        .select_related("user")
    )
    # A deleted event has no page any more: its group's page is where to look.
    url = event.group.get_absolute_url() if event.is_deleted else event.get_absolute_url()
    notifications = []
    for registration in registrations:
        with translation.override(registration.user.preferred_language):
            title = event.title
            text = _shortened(excerpt() if callable(excerpt) else excerpt)
        notifications.append(
            Notification(
                recipient_id=registration.user_id,
                kind=kind,
                key=f"event:{event.pk}",
                group_id=event.group_id,
                actor_names=[by.name],
                title=title,
                excerpt=text,
                url=url,
            )
        )
    created = Notification.objects.bulk_create(notifications)
    notifications_created(notification_ids=[notification.pk for notification in created])
    return len(created)


def _shortened(text):
    # Line breaks and runs of spaces become one space; non-breaking spaces stay ("18 h 30").
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"

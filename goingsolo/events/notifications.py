"""The news of an event in the app: a new time or place, a cancellation, a reinstatement,
for the people registered, as their emails say it (`services`), and so on their devices;
and the questions "would you come?": a new one for every member, a reminder for those
who have not answered.

Stored once per recipient, so the event's title and the times of the excerpt are in the
recipient's language; the organiser's message stays as they wrote it.
"""

import re

from django.utils import translation
from django.utils.translation import gettext as _

from goingsolo.accounts.models import Notification, User
from goingsolo.accounts.services import notifications_created

from .models import InterestAnswer, InterestCheck, Registration
from .text import check_title

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


def _notify_about_check(check, *, user_ids, write_title, excerpt):
    """One notification about CHECK for each of USER_IDS still active members of its group,
    its title and excerpt written in each one's language. Returns how many."""
    members = User.objects.filter(
        pk__in=list(user_ids), is_active=True, memberships__group_id=check.group_id
    ).only("pk", "language")
    actor = [check.created_by.name] if check.created_by else []
    notifications = []
    for member in members:
        with translation.override(member.preferred_language):
            title, text = write_title(), _shortened(excerpt())
        notifications.append(
            Notification(
                recipient_id=member.pk,
                kind=Notification.Kind.ANNOUNCEMENT,
                key=f"interest_check:{check.pk}",
                group_id=check.group_id,
                actor_names=actor,
                title=title,
                excerpt=text,
                url=check.get_absolute_url(),
            )
        )
    created = Notification.objects.bulk_create(notifications, batch_size=1000)
    notifications_created(notification_ids=[notification.pk for notification in created])
    return len(created)


def _check(check_id):
    return (
        InterestCheck.objects.filter(pk=check_id, status=InterestCheck.Status.OPEN)
        .select_related("group", "created_by")
        .first()
    )


def notify_check_opened(*, check_id):
    """Every member of the check's group but its creator hears, in the app, that the group
    is asked "would you come?". A check closed meanwhile tells nobody. Returns how many."""
    check = _check(check_id)
    if check is None:
        return 0
    user_ids = check.group.memberships.exclude(user_id=check.created_by_id).values_list(
        "user_id", flat=True
    )
    return _notify_about_check(
        check,
        user_ids=user_ids,
        write_title=lambda: check_title(check),
        excerpt=lambda: (
            _("Yes, maybe or no: the organiser goes ahead at %(count)d yes.")
            % {"count": check.threshold}
        ),
    )


def notify_check_closing(*, check_id, user_ids):
    """USER_IDS, who had not answered, hear that the check closes soon; those who have
    answered since the reminder was queued are left alone. Returns how many."""
    check = _check(check_id)
    if check is None:
        return 0
    answered = set(
        InterestAnswer.objects.filter(interest_check=check).values_list("user_id", flat=True)
    )
    return _notify_about_check(
        check,
        user_ids=[uid for uid in user_ids if uid not in answered],
        write_title=lambda: check_title(check),
        excerpt=lambda: _("Answers close soon, and yours is missing."),
    )


def _shortened(text):
    # Line breaks and runs of spaces become one space; non-breaking spaces stay ("18 h 30").
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"

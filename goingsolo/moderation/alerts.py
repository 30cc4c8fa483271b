"""Telling a group's moderators that something waits in its review queue.

When a post, a wiki edit, an email or a request to join lands in a group's queue (the
signals `discussions.post_held`, `wiki.revision_held`, `mail.message_held`,
`groups.join_request_created`), a job (`tasks.queue_item_landed`) tells the group's
moderators, admins and owners — admins and owners only for a request to join, which only
they answer:

1. **In the app**: one notification per group and moderator while it is unread (key
   `review:<group id>`), brought up to date by each new item: how many items wait, and
   the latest one, in the moderator's language.
2. **By email**, unless their delivery choice for the group is "Nothing", in their
   language, **at most one email per group and moderator an hour** (`QueueAlert`): the
   first item is told at once; items that land within the hour after an email are told
   by one more email when the hour is over (the `review-alerts` entry of the schedule,
   every five minutes), saying how many items wait then — nothing if the queue was
   emptied meanwhile. A wave of 100 spam posts makes two emails, not 100.

Instance admins are not told: their queue is every group's (`/review/`).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goingsolo.accounts.models import Notification
from goingsolo.accounts.services import notifications_created
from goingsolo.core.notify import email_member_on_commit
from goingsolo.groups.models import Membership, Role
from goingsolo.mail.models import Delivery, ListSubscription

from . import selectors
from .models import QueueAlert, TargetKind

# At most one email per group and moderator in this time.
EMAIL_INTERVAL = timedelta(hours=1)
MODERATOR_ROLES = [Role.MODERATOR, Role.ADMIN, Role.OWNER]
ADMIN_ROLES = [Role.ADMIN, Role.OWNER]


def _key(group):
    return f"review:{group.pk}"


def _queue_url(group):
    return reverse("moderation:queue", args=[group.slug])


def _recipients(group, kind):
    """The active moderators (admins, for a request to join) of GROUP: {user: is admin}."""
    roles = ADMIN_ROLES if kind == TargetKind.JOIN_REQUEST else MODERATOR_ROLES
    memberships = Membership.objects.filter(
        group=group, role__in=roles, user__is_active=True
    ).select_related("user")
    return {membership.user: membership.role in ADMIN_ROLES for membership in memberships}


def _title(count, group):
    return ngettext(
        "%(count)d item waits for review in %(group)s",
        "%(count)d items wait for review in %(group)s",
        count,
    ) % {"count": count, "group": group.name}


def _excerpt(kind, label):
    if kind not in TargetKind.values:
        return label[:300]
    # French puts a non-breaking space before the colon: a sentence to translate.
    return (_("%(kind)s: %(item)s") % {"kind": TargetKind(kind).label, "item": label})[:300]


@transaction.atomic
def queue_item_landed(*, group, kind, label, now=None):
    """An item of KIND (a TargetKind value), described by LABEL, landed in GROUP's queue:
    its moderators get the notification and, when their hour allows, the email.
    Returns how many moderators were told. Safe to run twice: the notification is brought
    up to date, and the hour's email is not sent again."""
    now = now or timezone.now()
    recipients = _recipients(group, kind)
    if not recipients:
        return 0
    everyone, with_requests = selectors.waiting_counts(group=group)
    counts = {
        user: with_requests if is_admin else everyone for user, is_admin in recipients.items()
    }
    _notify(group, kind, label, counts, now)
    no_email = set(
        ListSubscription.objects.filter(
            group=group, user__in=list(recipients), delivery=Delivery.NONE
        ).values_list("user_id", flat=True)
    )
    for user, count in counts.items():
        if user.pk not in no_email:
            _email_or_later(group, user, count, now)
    return len(recipients)


def _notify(group, kind, label, counts, now):
    """One unread notification per moderator for the group: made, or brought up to date."""
    key = _key(group)
    unread = {
        notification.recipient_id: notification
        for notification in Notification.objects.select_for_update().filter(
            recipient__in=list(counts), key=key, read_at__isnull=True
        )
    }
    new, updated = [], []
    for user, count in counts.items():
        with translation.override(user.preferred_language):
            title, excerpt = _title(count, group), _excerpt(kind, label)
        existing = unread.get(user.pk)
        if existing is None:
            new.append(
                Notification(
                    recipient=user,
                    kind=Notification.Kind.OTHER,
                    key=key,
                    group_id=group.pk,
                    title=title,
                    excerpt=excerpt,
                    url=_queue_url(group),
                    created_at=now,
                    updated_at=now,
                )
            )
            continue
        existing.title, existing.excerpt, existing.updated_at = title, excerpt, now
        existing.save(update_fields=["title", "excerpt", "updated_at"])
        updated.append(existing.pk)
    created = Notification.objects.bulk_create(new)
    notifications_created(notification_ids=updated + [notification.pk for notification in created])


def _email_or_later(group, user, count, now):
    """Emails USER at once when their last alert for GROUP is an hour old or more; else
    marks one as due when the hour is over."""
    QueueAlert.objects.get_or_create(group=group, user=user)
    alert = QueueAlert.objects.select_for_update().get(group=group, user=user)
    if alert.emailed_at is None or alert.emailed_at <= now - EMAIL_INTERVAL:
        _email(group, user, count)
        alert.emailed_at, alert.pending_since = now, None
    elif alert.pending_since is None:
        alert.pending_since = now
    alert.save(update_fields=["emailed_at", "pending_since"])


def _email(group, user, count):
    email_member_on_commit(
        user,
        "moderation_queue_alert",
        {
            "group_name": group.name,
            "count": count,
            "queue_url": settings.SITE_URL.rstrip("/") + _queue_url(group),
        },
    )


@transaction.atomic
def send_pending(*, now=None):
    """The emails held back by the hour (the schedule's `review-alerts`): each moderator
    whose last alert for a group is an hour old, and to whom something new landed since,
    is told how many items wait now. Returns how many were emailed."""
    now = now or timezone.now()
    due = list(
        QueueAlert.objects.select_for_update(skip_locked=True)
        .filter(pending_since__isnull=False, emailed_at__lte=now - EMAIL_INTERVAL)
        .select_related("group", "user")
    )
    if not due:
        return 0
    roles = {
        (user_id, group_id): role
        for user_id, group_id, role in Membership.objects.filter(
            user_id__in=[alert.user_id for alert in due],
            group_id__in=[alert.group_id for alert in due],
        ).values_list("user_id", "group_id", "role")
    }
    sent = 0
    counts = {}
    for alert in due:
        role = roles.get((alert.user_id, alert.group_id))
        alert.pending_since = None
        if role in MODERATOR_ROLES and alert.user.is_active:
            if alert.group_id not in counts:
                counts[alert.group_id] = selectors.waiting_counts(group=alert.group)
            everyone, with_requests = counts[alert.group_id]
            count = with_requests if role in ADMIN_ROLES else everyone
            if count:
                _email(alert.group, alert.user, count)
                alert.emailed_at = now
                sent += 1
        alert.save(update_fields=["emailed_at", "pending_since"])
    return sent

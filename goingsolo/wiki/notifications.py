"""Who hears about a change to a wiki page, in the app.

The members watching the page, except the change's author, who may still read the group
and whose notification level for the group is not "none". Unread notifications of the same
page are grouped: a new change updates the row, adding its author, instead of adding one.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from goingsolo.accounts.models import Notification
from goingsolo.accounts.services import notifications_created
from goingsolo.core.markdown import render_plain
from goingsolo.groups.models import Membership, NotificationLevel

from .models import Revision, Watch

MAX_ACTOR_NAMES = 3
EXCERPT_CHARS = 140


def load_revision(revision_id):
    return (
        Revision.objects.select_related("page", "page__group", "author")
        .filter(pk=revision_id)
        .first()
    )


def _excerpt(revision):
    if revision.is_rename:
        # Titles and an arrow read the same in every language: notifications are stored
        # once, not per reader's language.
        text = f"{revision.renamed_from} → {revision.renamed_to}"
        if revision.summary:
            text += f" · {revision.summary}"
    else:
        # Plain text: the notifications page and devices' notifications show it as it is.
        text = " ".join((revision.summary or render_plain(revision.body)).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def watchers_to_notify(revision):
    """User ids of the watchers to tell about REVISION."""
    page = revision.page
    watching = Watch.objects.filter(page=page).exclude(user_id=revision.author_id)
    return list(
        Membership.objects.filter(group_id=page.group_id, user_id__in=watching.values("user_id"))
        .exclude(notification_level=NotificationLevel.NONE)
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def notify_watchers(revision):
    """Creates or updates the in-app notifications for REVISION; returns how many."""
    recipients = watchers_to_notify(revision)
    if not recipients:
        return 0
    page = revision.page
    key = f"wiki:{page.pk}"
    actor = revision.author.name if revision.author is not None else ""
    now = timezone.now()
    unread = {
        notification.recipient_id: notification
        for notification in Notification.objects.select_for_update().filter(
            recipient_id__in=recipients, key=key, read_at__isnull=True
        )
    }
    new, updated = [], []
    for user_id in recipients:
        existing = unread.get(user_id)
        if existing is None:
            new.append(
                Notification(
                    recipient_id=user_id,
                    kind=Notification.Kind.OTHER,
                    key=key,
                    group_id=page.group_id,
                    actor_names=[actor] if actor else [],
                    title=page.title,
                    excerpt=_excerpt(revision),
                    url=page.get_absolute_url(),
                )
            )
            continue
        new_actor = actor and actor not in existing.actor_names
        names = [name for name in existing.actor_names if name != actor]
        existing.actor_names = ([actor] if actor else []) + names[: MAX_ACTOR_NAMES - 1]
        existing.excerpt = _excerpt(revision)
        # A rename changes both; the former address would still redirect.
        existing.title = page.title
        existing.url = page.get_absolute_url()
        existing.updated_at = now
        existing.save(update_fields=["actor_names", "excerpt", "title", "url", "updated_at"])
        if new_actor:
            Notification.objects.filter(pk=existing.pk).update(actor_count=F("actor_count") + 1)
        updated.append(existing.pk)
    created = Notification.objects.bulk_create(new)
    notifications_created(notification_ids=updated + [notification.pk for notification in created])
    return len(recipients)

"""Who hears about a new post or reaction in the app, and the notifications themselves.

Rules, in order, for a new post (one notification per member at most, the strongest kind):
1. nobody hears about their own post, and only members who may still read the group;
2. a member who muted the thread hears nothing from it, not even mentions;
3. a mention notifies the member unless their group level is "none";
4. the thread's author hears about replies unless their level is "none";
5. followers of the thread, and members whose level is "all", hear about every post.
The mailing list (mail app) applies its own delivery choices; these are the in-app ones.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from goingsolo.accounts.models import Notification
from goingsolo.accounts.services import notifications_created
from goingsolo.core.markdown import render_plain
from goingsolo.groups.models import Membership, NotificationLevel

from .models import Mention, Post, ThreadSubscription

MAX_ACTOR_NAMES = 3


def _excerpt(post):
    # Plain text: the notifications page and devices' notifications show it as it is.
    text = " ".join(render_plain(post.body).split())
    return text if len(text) <= 140 else text[:139] + "…"


def recipients_for_post(post):
    """{user_id: kind} of the members to notify about POST."""
    thread = post.thread
    levels = dict(
        Membership.objects.filter(group_id=post.group_id).values_list(
            "user_id", "notification_level"
        )
    )
    states = dict(ThreadSubscription.objects.filter(thread=thread).values_list("user_id", "state"))
    mentioned = set(Mention.objects.filter(post=post).values_list("user_id", flat=True))

    chosen = {}

    def offer(user_id, kind):
        if user_id == post.author_id or user_id not in levels:
            return
        if states.get(user_id) == ThreadSubscription.State.MUTED:
            return
        chosen.setdefault(user_id, kind)

    for user_id in mentioned:
        if levels.get(user_id) != NotificationLevel.NONE:
            offer(user_id, Notification.Kind.MENTION)
    if (
        not post.is_opening
        and thread.author_id
        and levels.get(thread.author_id) != NotificationLevel.NONE
    ):
        offer(thread.author_id, Notification.Kind.REPLY)
    for user_id, state in states.items():
        if state == ThreadSubscription.State.FOLLOWING:
            offer(user_id, Notification.Kind.FOLLOWED)
    for user_id, level in levels.items():
        if level == NotificationLevel.ALL:
            offer(user_id, Notification.Kind.FOLLOWED)
    return chosen


@transaction.atomic
def notify_post(post):
    """Creates the in-app notifications for a new POST; returns how many.

    Run again (a worker that died during the job), it adds nothing for members already
    notified of the post."""
    if post.deleted_at is not None or post.is_held:
        return 0
    chosen = recipients_for_post(post)
    key = f"post:{post.pk}"
    for user_id in Notification.objects.filter(key=key).values_list("recipient_id", flat=True):
        chosen.pop(user_id, None)
    url = post.get_absolute_url()
    author = post.author_name
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=kind,
                key=key,
                group_id=post.group_id,
                actor_names=[author],
                title=post.thread.title,
                excerpt=_excerpt(post),
                url=url,
            )
            for user_id, kind in chosen.items()
        ]
    )
    notifications_created(notification_ids=[notification.pk for notification in created])
    return len(chosen)


@transaction.atomic
def notify_reaction(post, actor, emoji):
    """Tells POST's author about a reaction, grouped with the unread ones on the same post."""
    if post.author_id is None or post.author_id == actor.pk or post.deleted_at is not None:
        return None
    level = (
        Membership.objects.filter(group_id=post.group_id, user_id=post.author_id)
        .values_list("notification_level", flat=True)
        .first()
    )
    if level is None or level == NotificationLevel.NONE:
        return None
    key = f"reactions:{post.pk}"
    existing = (
        Notification.objects.select_for_update()
        .filter(recipient_id=post.author_id, key=key, read_at__isnull=True)
        .first()
    )
    if existing is not None:
        new_actor = actor.name not in existing.actor_names
        names = [name for name in existing.actor_names if name != actor.name]
        existing.actor_names = [actor.name, *names][:MAX_ACTOR_NAMES]
        existing.updated_at = timezone.now()
        existing.save(update_fields=["actor_names", "updated_at"])
        if new_actor:
            Notification.objects.filter(pk=existing.pk).update(actor_count=F("actor_count") + 1)
        notifications_created(notification_ids=[existing.pk])
        return existing
    notification = Notification.objects.create(
        recipient_id=post.author_id,
        kind=Notification.Kind.REACTION,
        key=key,
        group_id=post.group_id,
        actor_names=[actor.name],
        title=post.thread.title,
        excerpt=f"{emoji} {_excerpt(post)}",
        url=post.get_absolute_url(),
    )
    notifications_created(notification_ids=[notification.pk])
    return notification


@transaction.atomic
def notify_announcement(thread, by):
    """Tells every member of THREAD's group that it is an announcement, except BY, those
    whose level for the group is "none" and those who muted the thread; returns how many.

    Run again (a worker that died during the job), it adds nothing for members whose
    notification of the announcement is still unread."""
    if thread.deleted_at is not None:
        return 0
    key = f"announcement:{thread.pk}"
    unread = Notification.objects.filter(key=key, read_at__isnull=True).values("recipient_id")
    muted = ThreadSubscription.objects.filter(
        thread=thread, state=ThreadSubscription.State.MUTED
    ).values("user_id")
    recipients = (
        Membership.objects.filter(group_id=thread.group_id, user__is_active=True)
        .exclude(notification_level=NotificationLevel.NONE)
        .exclude(user_id__in=muted)
        .exclude(user_id__in=unread)
        .values_list("user_id", flat=True)
    )
    if by is not None:
        recipients = recipients.exclude(user_id=by.pk)
    opening = thread.posts.filter(position=1).first()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=Notification.Kind.ANNOUNCEMENT,
                key=key,
                group_id=thread.group_id,
                actor_names=[by.name] if by is not None else [],
                title=thread.title,
                excerpt=_excerpt(opening) if opening is not None else "",
                url=thread.get_absolute_url(),
            )
            for user_id in recipients
        ]
    )
    notifications_created(notification_ids=[notification.pk for notification in created])
    return len(created)


def load_post(post_id):
    return Post.objects.select_related("thread", "group", "author").filter(pk=post_id).first()

"""Changes to a member's own account."""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone

from . import privacy, push, tasks
from .avatars import process_avatar
from .models import FORMER_MEMBER_DOMAIN, PushSubscription


@transaction.atomic
def profile_update(*, user, avatar_upload=None, remove_avatar=False, **fields):
    """Saves profile FIELDS; a new avatar is checked and resized first (ValidationError)."""
    new_avatar = process_avatar(avatar_upload) if avatar_upload is not None else None
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password", "email"])
    if remove_avatar and user.avatar:
        user.avatar.delete(save=False)
    if new_avatar is not None:
        if user.avatar:
            user.avatar.delete(save=False)
        user.avatar.save(new_avatar.name, new_avatar, save=False)
    user.save()
    return user


def language_set(*, user, language):
    user.language = language
    user.save(update_fields=["language"])


def notification_mark_read(*, notification):
    """Marks one notification read (when the member opens it)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        type(notification).objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user):
    """Marks all of USER's unread notifications read; returns how many."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


# Enough notifications for one job; an announcement to a large group makes several jobs.
PUSH_BATCH = 100


def notifications_created(*, notification_ids):
    """The in-app notifications NOTIFICATION_IDS were just created (or brought up to date,
    when grouped): every place that makes them calls this. Side effects on commit: jobs
    that push them to their recipients' devices (`tasks.push_notifications`)."""
    ids = sorted(set(notification_ids))
    if not ids:
        return
    for start in range(0, len(ids), PUSH_BATCH):
        batch = ids[start : start + PUSH_BATCH]
        transaction.on_commit(
            lambda batch=batch: tasks.push_notifications.enqueue(notification_ids=batch)
        )


@transaction.atomic
def push_subscription_save(*, user, endpoint, p256dh, auth, user_agent=""):
    """USER's browser (USER_AGENT) subscribed to Web Push at ENDPOINT with its keys.
    The same endpoint subscribing again updates its row, even if it belonged to another
    member (the browser now receives for USER). Returns (subscription, created)."""
    return PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "label": push.device_label(user_agent)[:80],
            "last_failure_at": None,
        },
    )


def push_subscription_remove(*, user, subscription_id=None, endpoint=None):
    """Removes USER's device, by id (the devices page) or by ENDPOINT (the browser turning
    notifications off); returns how many rows went (0 for someone else's)."""
    devices = PushSubscription.objects.filter(user=user)
    if subscription_id is not None:
        devices = devices.filter(pk=subscription_id)
    elif endpoint:
        devices = devices.filter(endpoint=endpoint)
    else:
        return 0
    return devices.delete()[0]


@transaction.atomic
def private_links_reset(*, user):
    """Revokes every private link USER was sent: the signed links of emails (cancel a seat;
    reply and unsubscribe once mail signs with the key) and, through the features'
    `privacy.link_resetter`s, the calendar feed's address, which gets a new one."""
    user.private_links_key = secrets.token_urlsafe(16)
    user.save(update_fields=["private_links_key"])
    privacy.reset_links(user)
    return user


@transaction.atomic
def account_delete(*, user, keep_posts):
    """USER deletes their account. KEEP_POSTS: their posts stay, signed "Former member";
    otherwise they are deleted (emptied and hidden).

    Every feature erases its part first (`privacy.erase`): groups refuses (ValidationError)
    while USER is the only owner of a group, then removes their memberships, which cancels
    their registrations to upcoming events and gives their seats to the waiting lists;
    discussions deletes or keeps their posts; events and the wiki drop their calendar
    address, drafts and watches. Then the account itself: email addresses, second factors,
    devices and notifications go, the avatar file is deleted, and the row is emptied and
    kept as "former member" (`User.deleted_at`), with no usable password and inactive, so
    every session of it ends. Side effects on commit: those of the features (an email to
    whoever gets a freed seat).
    """
    privacy.erase(user, keep_posts=keep_posts)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.push_subscriptions.all().delete()
    user.notifications.all().delete()
    if user.avatar:
        user.avatar.delete(save=False)
    former = f"former-{user.pk}"
    user.email = former + FORMER_MEMBER_DOMAIN
    user.handle = former
    for name in ("display_name", "bio", "city", "country", "website", "skills", "language"):
        setattr(user, name, "")
    user.spoken_languages, user.read_languages = [], []
    user.open_to_work = False
    user.time_zone = "UTC"
    user.avatar = ""
    user.private_links_key = secrets.token_urlsafe(16)
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.deleted_at = timezone.now()
    # A new (unusable) password changes the hash every session is checked against:
    # Django ends them all at their next request.
    user.set_unusable_password()
    user.save()
    return user

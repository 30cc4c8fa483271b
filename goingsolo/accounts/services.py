"""Changes to a member's own account."""

from django.db import transaction
from django.utils import timezone

from .avatars import process_avatar


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

"""A thread's state: pinned, an announcement, closed to replies; who follows or mutes it; how
far each member has read."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, signals, tasks
from ..models import ReadState, Thread, ThreadSubscription


def _thread_set(thread, **flags):
    """Writes FLAGS (is_pinned, is_locked…) on THREAD's row and on THREAD."""
    Thread.objects.filter(pk=thread.pk).update(**flags)
    for name, value in flags.items():
        setattr(thread, name, value)
    return thread


@transaction.atomic
def thread_set_pinned(*, thread, by, pinned):
    if not rules.can_pin(by, thread.group):
        raise PermissionDenied(_("Only the group’s admins can pin threads."))
    return _thread_set(thread, is_pinned=pinned)


@transaction.atomic
def thread_announce(*, thread, by):
    """Marks THREAD as an announcement and pins it. Side effects on commit:
    `signals.thread_announced` (the mailing list emails it to every member), and a job that
    notifies every member in the app (`tasks.thread_announced`)."""
    if not rules.can_pin(by, thread.group):
        raise PermissionDenied(_("Only the group’s admins can make announcements."))
    if thread.is_announcement:
        return thread
    _thread_set(thread, is_announcement=True, is_pinned=True)
    transaction.on_commit(lambda: signals.thread_announced.send(sender=Thread, thread=thread))
    transaction.on_commit(lambda: tasks.thread_announced.enqueue(thread_id=thread.pk, by_id=by.pk))
    return thread


@transaction.atomic
def thread_set_locked(*, thread, by, locked):
    if not rules.can_moderate(by, thread.group):
        raise PermissionDenied(_("Only moderators can close threads."))
    return _thread_set(thread, is_locked=locked)


def thread_subscribe(*, thread, user, state):
    """Follow (state="following"), mute ("muted") or go back to the group's level (None)."""
    if not rules.can_read(user, thread.group) or not user.is_authenticated:
        raise PermissionDenied(_("You cannot follow this thread."))
    if state is None:
        ThreadSubscription.objects.filter(thread=thread, user=user).delete()
        return None
    if state not in ThreadSubscription.State.values:
        raise ValidationError(_("Unknown choice."))
    subscription, _created = ThreadSubscription.objects.update_or_create(
        thread=thread, user=user, defaults={"state": state}
    )
    return subscription


def mark_read(*, thread, user, position):
    updated = ReadState.objects.filter(
        thread=thread, user=user, last_read_position__lt=position
    ).update(last_read_position=position, read_at=timezone.now())
    if not updated:
        try:
            with transaction.atomic():
                ReadState.objects.get_or_create(
                    thread=thread, user=user, defaults={"last_read_position": position}
                )
        except IntegrityError:
            pass


def thread_mark_read(*, thread, user, position=None):
    """Records that USER has read THREAD up to POSITION (default: to the end)."""
    if not user.is_authenticated:
        return
    mark_read(thread=thread, user=user, position=position or thread.last_position)

"""Watching a page: its watchers hear of its changes, in the app and by email
(`wiki/notifications.py`, the mail app's `wiki_changes`). Members watch the pages they
create, edit or rename, and any page with one button."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import rules
from ..models import Draft, Watch


def watch(page, user):
    """USER watches PAGE from now on (no change when they already do)."""
    if user is not None:
        Watch.objects.get_or_create(page=page, user=user)


@transaction.atomic
def page_watch(*, page, user, watching):
    """USER, a member, starts watching PAGE (notifications of its changes, in the app and
    by email); anyone stops, member or not any more (the link in an email). No side
    effects beyond the Watch row."""
    if watching:
        if not rules.can_edit(user, page.group):
            raise PermissionDenied
        watch(page, user)
    else:
        Watch.objects.filter(page=page, user=user).delete()


@transaction.atomic
def account_wiki_traces_erase(*, user):
    """USER deletes their account: their drafts (text they never published) and the pages
    they watch go. Their published edits stay, signed "Former member" (docs/privacy.md)."""
    Draft.objects.filter(user=user).delete()
    Watch.objects.filter(user=user).delete()

"""Moderation's jobs: thin, over `alerts`."""

from django_tasks import task

from goingsolo.groups.models import Group

from . import alerts


@task()
def queue_item_landed(*, group_id, kind, label):
    """Tells the moderators of a group that an item of KIND (LABEL) waits in its queue."""
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        return 0
    return alerts.queue_item_landed(group=group, kind=kind, label=label)

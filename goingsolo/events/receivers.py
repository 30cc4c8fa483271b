"""What events does when something happens below it (goingsolo/groups/signals.py)."""

from goingsolo.groups import signals as group_signals

from . import services


def membership_ended(sender, *, group, user, **kwargs):
    services.registrations_withdraw(group=group, user=user)


def connect():
    group_signals.membership_ended.connect(membership_ended, dispatch_uid="events.membership_ended")

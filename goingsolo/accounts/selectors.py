"""Reads about members that span relations."""

from django.db.models import Q

from goingsolo.core.prepared import PreparedQuery

from .models import Notification, User


def _visible_q(user):
    # A notification about a group the member has left is not shown: its content may be
    # out of their reach now. Those about nothing in a group (group_id empty) always are.
    return Q(group_id__isnull=True) | Q(group_id__in=user.memberships.values("group_id"))


# Asked by every member's page (the count in the menu): its SQL is built once per process.
_unread_count = PreparedQuery(
    lambda user_id: (
        Notification.objects.filter(
            _visible_q(User(pk=user_id)), recipient_id=user_id, read_at__isnull=True
        )
        .order_by()
        .values("pk")
    ),
    count=True,
)


def notifications_of(*, user):
    """USER's notifications, newest first, without those of groups they left."""
    return Notification.objects.filter(_visible_q(user), recipient=user).order_by(
        "-updated_at", "-pk"
    )


def unread_notification_count(*, user):
    return _unread_count.value(user_id=user.pk)


def group_names_of(*, user):
    """{group id: name} of USER's groups, to say where each notification comes from."""
    return dict(user.memberships.values_list("group_id", "group__name"))


def push_devices_of(*, user):
    """USER's devices that receive notifications, newest first (one query)."""
    return list(user.push_subscriptions.order_by("-created_at", "-pk"))

from functools import cache

from . import selectors


def notifications(request):
    """The member's unread notification count for the navigation: one count query, run
    when a page first shows it (templates call a callable), only for a logged-in member."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": cache(lambda: selectors.unread_notification_count(user=user))}

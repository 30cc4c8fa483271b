"""The secret address of a member's personal calendar (`events/calendars.py` writes what
it serves)."""

from django.db import transaction
from django.utils import timezone

from ..models import CalendarFeed, calendar_token


@transaction.atomic
def calendar_feed_renew(*, user):
    """Gives USER a new secret address for their calendar; the old one stops working."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user):
    """Turns USER's calendar address off."""
    CalendarFeed.objects.filter(user=user).delete()

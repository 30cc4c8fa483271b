"""The outbound side's writes that views, inbound mail, the demo and commands call.

Members' email delivery choices (a ListSubscription per member and group): the web page of
a group, the login-free link in every email and the one-click unsubscribe (web and mail)
call these. Pausing delivery after bounces is bounce handling's
(goingsolo/mail/inbound/bounces.py); resuming it is the member's, here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.prepared import PreparedQuery

from ..models import DEFAULT_DELIVERY, BounceEvent, Delivery, DeliveryPause, ListSubscription

# Asked by a group's page for every member: built once per process (core/prepared.py).
_subscription = PreparedQuery(
    lambda user_id, group_id: ListSubscription.objects.filter(
        user_id=user_id, group_id=group_id
    ).order_by("pk")[:1]
)


def subscription_of(*, user, group):
    """USER's choice for GROUP: the stored row, or an unsaved one holding the default."""
    found = _subscription.first(user_id=user.pk, group_id=group.pk)
    return found or ListSubscription(user=user, group=group, delivery=DEFAULT_DELIVERY)


@transaction.atomic
def subscription_set_delivery(*, user, group, delivery):
    """USER chooses how GROUP reaches them by email. No side effects beyond the row.

    A digest after the change starts from the change, so nothing already mailed one
    way comes again the other.
    """
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Choose one of the offered options.")})
    subscription, created = ListSubscription.objects.select_for_update().get_or_create(
        user=user, group=group, defaults={"delivery": delivery}
    )
    if not created and subscription.delivery != delivery:
        subscription.delivery = delivery
        subscription.changed_at = timezone.now()
        subscription.save(update_fields=["delivery", "changed_at"])
    return subscription


def subscription_unsubscribe(*, user, group):
    """Stops every email from GROUP to USER (the one-click unsubscribe, RFC 8058)."""
    return subscription_set_delivery(user=user, group=group, delivery=Delivery.NONE)


def ensure_subscriptions(memberships, batch_size=2000):
    """Makes the default row for each of MEMBERSHIPS (a queryset) that has none; returns
    how many were made. The row starts at the member's joining, for the first digest."""
    missing = memberships.filter(
        ~Exists(
            ListSubscription.objects.filter(
                user_id=OuterRef("user_id"), group_id=OuterRef("group_id")
            )
        )
    ).values_list("user_id", "group_id", "joined_at")
    rows = [
        ListSubscription(user_id=user_id, group_id=group_id, changed_at=joined_at)
        for user_id, group_id, joined_at in missing.iterator(chunk_size=batch_size)
    ]
    ListSubscription.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def delivery_resume(*, user):
    """USER resumes email delivery: the pause goes and their score restarts at zero.

    Side effects: none beyond the rows (the outbound part reads `pauses.delivery_paused`).
    """
    DeliveryPause.objects.filter(user=user).delete()
    BounceEvent.objects.filter(user=user, counted=True).update(counted=False)

"""Members' email delivery choices: every write goes through these functions.

The web page of a group, the login-free link in every email, the one-click unsubscribe
(web and mail) and bounce handling all call them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.groups.models import Membership

from .models_outbound import DEFAULT_DELIVERY, Delivery, ListSubscription


def subscription_of(*, user, group):
    """USER's choice for GROUP: the stored row, or an unsaved one holding the default."""
    found = ListSubscription.objects.filter(user=user, group=group).first()
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


@transaction.atomic
def subscriptions_pause(*, user, reason=""):
    """Pauses every email to USER from all their groups (their address bounces).

    Rows are made for groups where USER has none yet, so the pause holds everywhere. The
    member sees it on each group's email page and can resume there.
    """
    ensure_subscriptions(Membership.objects.filter(user=user))
    now = timezone.now()
    return ListSubscription.objects.filter(user=user, paused_at__isnull=True).update(
        paused_at=now, pause_reason=reason[:200]
    )


@transaction.atomic
def subscriptions_resume(*, user):
    """USER's email delivery starts again, in every group, with their choices unchanged."""
    return ListSubscription.objects.filter(user=user, paused_at__isnull=False).update(
        paused_at=None, pause_reason=""
    )


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

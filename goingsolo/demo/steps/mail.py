"""The demo's mailing-list state: its history counts as already sent in digests."""

from django.utils import timezone

from goingsolo.groups.models import Membership
from goingsolo.mail.models import ListSubscription
from goingsolo.mail.outbound.services import ensure_subscriptions


def mark_history_mailed(demo):
    """The community's past went out in the digests of the days it happened: each demo
    member's next digest starts at the end of the load (the last step: the events' threads
    are posted as the load runs). Without it, the worker's first check would queue the
    whole history as a digest for every member whose morning has come, and the embedded
    run would print some fifty of them at its first start. Members who had a digest keep
    their window (`--force` on a running demo)."""
    members = [user.pk for user in demo.users.values()]
    ensure_subscriptions(Membership.objects.filter(user_id__in=members))
    # The digest window is the mail app's own bookkeeping, not a member's choice: no
    # service owns it but the digests themselves.
    ListSubscription.objects.filter(user_id__in=members, last_digest_at__isnull=True).update(
        last_digest_at=timezone.now()
    )
    demo.progress(1, 1)

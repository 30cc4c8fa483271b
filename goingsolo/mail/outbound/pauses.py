"""Members whose email delivery is paused: nothing is sent to them, whatever they chose.

Bounce handling decides (goingsolo/mail/inbound/bounces.py: a member whose address keeps
bouncing is paused, a DeliveryPause row, until they resume on the web,
services.delivery_resume); the outbound side only asks, once per batch.
"""

from ..models import DeliveryPause, OutboundEmail

# Sent even to a member whose delivery is paused after bounces: without them nobody can
# log in, or fix the address that bounces.
PAUSE_EXEMPT = {OutboundEmail.Kind.ACCOUNT}


def delivery_paused(user) -> bool:
    """Whether email delivery to USER is paused. The outbound part sends nothing while so."""
    if user is None or not getattr(user, "pk", None):
        return False
    return DeliveryPause.objects.filter(user_id=user.pk).exists()


def paused_user_ids(user_ids) -> set:
    """The members among USER_IDS whose delivery is paused."""
    user_ids = list(user_ids)
    found = set()
    # Chunks keep each query under the databases' limits on parameters.
    for start in range(0, len(user_ids), 5000):
        chunk = user_ids[start : start + 5000]
        found |= set(
            DeliveryPause.objects.filter(user_id__in=chunk).values_list("user_id", flat=True)
        )
    return found

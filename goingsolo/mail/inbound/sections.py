"""What inbound mail shows on the home page and on a group's page."""

from django.utils.translation import pgettext_lazy

from goingsolo.core.prepared import PreparedQuery
from goingsolo.groups import tabs
from goingsolo.groups.rules import Action
from goingsolo.groups.sections import Section, register

from ..models import DeliveryPause, InboundMessage

# Admins say whether new threads by email wait for a moderator, and download the archive.
# The held messages themselves are in the one review queue (goingsolo/moderation).
tabs.register(
    tabs.Tab(
        "mail-settings",
        pgettext_lazy("group tab", "Email settings"),
        "mail:settings",
        order=130,
        action=Action.ADMINISTER,
    )
)


# Asked by every member's home page: built once per process (core/prepared.py).
_pause_of = PreparedQuery(
    lambda user_id: DeliveryPause.objects.filter(user_id=user_id).order_by("pk")[:1]
)


@register("home")
def delivery_paused_banner(request, groups):
    """Tells a member whose email delivery is paused, with a button to resume it."""
    pause = _pause_of.first(user_id=request.user.pk)
    if pause is None:
        return None
    return Section("mail/_delivery_paused_banner.html", {"pause": pause}, order=0)


@register("group")
def held_messages_link(request, group, access):
    """Moderators see how many new threads by email wait for them; admins, the archive."""
    if not access.can(Action.MODERATE):
        return None
    held = InboundMessage.objects.filter(group=group, status=InboundMessage.Status.HELD).count()
    return Section(
        "mail/_inbound_group_section.html",
        {"group": group, "held": held, "can_administer": access.can(Action.ADMINISTER)},
        order=901,
    )

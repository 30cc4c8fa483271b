"""What inbound mail shows on the home page and on a group's page."""

from goingsolo.groups.rules import Action
from goingsolo.groups.sections import Section, register

from .models import DeliveryPause, InboundMessage


@register("home")
def delivery_paused_banner(request, groups):
    """Tells a member whose email delivery is paused, with a button to resume it."""
    pause = DeliveryPause.objects.filter(user_id=request.user.pk).first()
    if pause is None:
        return None
    return Section("mail/inbound_delivery_paused.html", {"pause": pause}, order=0)


@register("group")
def held_messages_link(request, group, access):
    """Moderators see how many new threads by email wait for them; admins, the archive."""
    if not access.can(Action.MODERATE):
        return None
    held = InboundMessage.objects.filter(group=group, status=InboundMessage.Status.HELD).count()
    return Section(
        "mail/inbound_group_section.html",
        {"group": group, "held": held, "can_administer": access.can(Action.ADMINISTER)},
        order=901,
    )

"""The addresses the instance answers to.

- `<slug>@DOMAIN`: a group's address; a member's message starts a thread.
- `<slug>+<token>@DOMAIN`: the per-recipient Reply-To of a notification; a reply posts in
  the thread the token names, as the member it names.
- `<slug>+unsubscribe-<token>@DOMAIN`: the mailto of List-Unsubscribe (the outbound part
  makes the token); a message there stops the group's emails to the member.
- `<slug>+confirm-<token>@DOMAIN`: the Reply-To of the email asking a member to confirm a
  message whose sender was not proven; their reply posts it.
- `bounces+<token>@DOMAIN` (and `bounces@DOMAIN`): the return path (VERP) of what the
  instance sends; what arrives there is a delivery report.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model

from goingsolo.groups.models import Group, Membership, Visibility

# The local part of the return path. No group may take it as its address.
BOUNCES = "bounces"
UNSUBSCRIBE_PREFIX = "unsubscribe-"
CONFIRM_PREFIX = "confirm-"


@dataclass(frozen=True)
class Route:
    kind: str  # "group", "reply", "unsubscribe", "confirm" or "bounce"
    base: str
    tag: str


def parse_address(address):
    """Returns (local, tag) for an address on our domain, else None."""
    address = (address or "").strip().strip("<>").lower()
    local, _, domain = address.rpartition("@")
    if not local or domain != settings.GOINGSOLO_MAIL_DOMAIN.lower():
        return None
    base, _, tag = local.partition("+")
    return base, tag


def route_for(address):
    """Where a message to ADDRESS goes, as a Route, or None for an address that is not ours.

    Does not look the group up: see accepts_recipient.
    """
    parsed = parse_address(address)
    if parsed is None:
        return None
    base, tag = parsed
    if base == BOUNCES:
        return Route("bounce", base, tag)
    if tag.startswith(UNSUBSCRIBE_PREFIX):
        return Route("unsubscribe", base, tag)
    if tag.startswith(CONFIRM_PREFIX):
        return Route("confirm", base, tag)
    return Route("reply" if tag else "group", base, tag)


def accepts_recipient(address, *, sender=""):
    """Whether the listener takes mail for ADDRESS from SENDER (MAIL FROM): the return
    path, or a group's address (tagged or not). A secret group's addresses answer as an
    unknown one's unless SENDER is a member: its existence is not told to strangers. A
    reply token is checked by the job, which explains a bad one."""
    route = route_for(address)
    if route is None:
        return False
    if route.kind == "bounce":
        return True
    group = Group.objects.filter(slug=route.base).only("pk", "visibility").first()
    if group is None:
        return False
    if group.visibility != Visibility.SECRET:
        return True
    member = member_for_address(sender)
    return member is not None and Membership.objects.filter(group=group, user=member).exists()


def member_for_address(address):
    """The member whose account uses ADDRESS (verified or not), or None."""
    if not address:
        return None
    found = EmailAddress.objects.filter(email__iexact=address).select_related("user").first()
    if found is not None:
        return found.user
    return get_user_model().objects.filter(email__iexact=address).first()


def routes_of(recipients):
    """The Routes of a message's RECIPIENTS that are ours, each once."""
    routes = []
    for recipient in recipients or []:
        route = route_for(recipient)
        if route is not None and route not in routes:
            routes.append(route)
    # "Reply all" may send to the token address and to the group's own: one reply only.
    replied = {route.base for route in routes if route.kind in ("reply", "confirm")}
    return [r for r in routes if not (r.kind == "group" and r.base in replied)]

"""The addresses the instance answers to: <slug>@DOMAIN and <slug>+<token>@DOMAIN."""

from django.conf import settings

from goingsolo.groups.models import Group


def parse_address(address):
    """Returns (local, tag) for an address on our domain, else None."""
    address = address.strip().strip("<>").lower()
    local, _, domain = address.rpartition("@")
    if not local or domain != settings.GOINGSOLO_MAIL_DOMAIN.lower():
        return None
    base, _, tag = local.partition("+")
    return base, tag


def accepts_recipient(address):
    """Whether the listener takes mail for ADDRESS: a group's address, or a tagged one."""
    parsed = parse_address(address)
    if parsed is None:
        return False
    base, _tag = parsed
    return Group.objects.filter(slug=base).exists()

"""System checks of the mail apps (`goingsolo check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string


@register(Tags.security, deploy=True)
def inbound_authentication_is_on(app_configs, **kwargs):
    """Without sender authentication, anyone who knows a member's address posts as them."""
    if settings.GOINGSOLO_MAIL_AUTHENTICATE:
        return []
    return [
        Warning(
            "Inbound mail authentication is off (GOINGSOLO_MAIL_AUTHENTICATE=false): the From "
            "address of a message to a group is believed, so anyone who knows a member's "
            "address can post as them by email, in secret groups too.",
            hint="Unset GOINGSOLO_MAIL_AUTHENTICATE (it is on by default); behind a mail "
            "server, set GOINGSOLO_MAIL_AUTHSERV_ID (docs/mail-inbound.md).",
            id="goingsolo.W010",
        )
    ]


@register()
def dns_resolver_is_importable(app_configs, **kwargs):
    """A resolver that cannot be imported would fail every message to a group's address."""
    try:
        resolver = import_string(settings.GOINGSOLO_MAIL_DNS_RESOLVER)
    except ImportError as error:
        resolver, reason = None, str(error)
    else:
        reason = "it is not a function"
    if callable(resolver):
        return []
    return [
        Error(
            f"GOINGSOLO_MAIL_DNS_RESOLVER names no function that can be imported "
            f"({settings.GOINGSOLO_MAIL_DNS_RESOLVER!r}: {reason}).",
            hint="Unset it to use goingsolo.mail.inbound.authentication.dns_lookup.",
            id="goingsolo.E010",
        )
    ]

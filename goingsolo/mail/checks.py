"""System checks of the mail apps (`goingsolo check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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

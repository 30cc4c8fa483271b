"""Tokens in the addresses the instance sends from, bound to a thread and a member.

- Reply-To `<slug>+<token>@DOMAIN`: a reply posts in the thread, as the member.
- Return path `bounces+<token>@DOMAIN` (VERP): a bounce names the member it was sent to.

Tokens are made of lower-case letters, digits and dots only, because mail systems may
change the case of an address's local part; their HMAC makes them unguessable.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare, salted_hmac

REPLY_SALT = "goingsolo.reply"
BOUNCE_SALT = "goingsolo.bounce"
MAC_CHARS = 20


def _mac(salt, value):
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:MAC_CHARS]


def reply_token(thread, user):
    value = f"{thread.pk}.{user.pk}"
    return f"{value}.{_mac(REPLY_SALT, value)}"


def reply_address(thread, user):
    return f"{thread.group.slug}+{reply_token(thread, user)}@{settings.GOINGSOLO_MAIL_DOMAIN}"


def resolve_reply_token(token):
    """(thread, user) for a valid reply token, else None."""
    from goingsolo.discussions.models import Thread

    parts = (token or "").lower().split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    if not constant_time_compare(parts[2], _mac(REPLY_SALT, f"{parts[0]}.{parts[1]}")):
        return None
    thread = Thread.objects.select_related("group").filter(pk=int(parts[0])).first()
    user = get_user_model().objects.filter(pk=int(parts[1])).first()
    if thread is None or user is None:
        return None
    return thread, user


def bounce_token(user):
    value = str(user.pk)
    return f"{value}.{_mac(BOUNCE_SALT, value)}"


def bounce_address(user):
    return f"bounces+{bounce_token(user)}@{settings.GOINGSOLO_MAIL_DOMAIN}"


def resolve_bounce_token(token):
    """The member a VERP return path was made for, else None."""
    parts = (token or "").lower().split(".")
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    if not constant_time_compare(parts[1], _mac(BOUNCE_SALT, parts[0])):
        return None
    return get_user_model().objects.filter(pk=int(parts[0])).first()

"""Addresses and links that carry who and what: reply, bounce (VERP) and unsubscribe.

Each token is a few numbers in base 36 and an HMAC of them keyed by SECRET_KEY (older keys
in SECRET_KEY_FALLBACKS are still accepted), all in lower case: mail software may change
the case of a local part, and the listener reads addresses in lower case. Nothing is stored,
so a token is stable (the same thread and member always give the same address) and costs no
database write, even for a digest to 10,000 members.

    <slug>+<reply token>@DOMAIN               replying posts as the member in the thread
    /mail/unwatch/<token>/                    stops the member watching a wiki page
    <slug>+unsubscribe-<token>@DOMAIN         List-Unsubscribe by mail
    <slug>+confirm-<token>@DOMAIN             replying posts a message held because its
    /mail/confirm/<token>/                    sender was not proven (the page's button too)
    bounces+<bounce token>@DOMAIN             the envelope sender of each email (VERP):
                                              names the OutboundEmail, or ("m-…") a member

The inbound side resolves them with `resolve_reply_token`, `resolve_unsubscribe_token`,
`resolve_bounce_token` and `resolve_confirmation_token`; each returns None for anything it
did not make.
"""

import base64
import functools
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from goingsolo.discussions.models import Thread
from goingsolo.groups.models import Group
from goingsolo.wiki.models import Page

from .models import InboundMessage, OutboundEmail

# 16 base-32 characters: 80 bits of HMAC.
MAC_CHARS = 16
BOUNCE_LOCAL_PART = "bounces"
UNSUBSCRIBE_TAG_PREFIX = "unsubscribe-"
CONFIRM_TAG_PREFIX = "confirm-"
MEMBER_BOUNCE_PREFIX = "m-"

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number):
    if number < 0:
        raise ValueError("Only natural numbers go in a token.")
    digits = []
    while True:
        number, remainder = divmod(number, 36)
        digits.append(_DIGITS[remainder])
        if not number:
            return "".join(reversed(digits))


@functools.lru_cache(maxsize=64)
def _key(purpose, secret):
    # As Django's salted_hmac derives it, but once per purpose rather than per token: a
    # digest to 10,000 members makes hundreds of thousands of tokens.
    return hashlib.sha256(f"goingsolo.mail.{purpose}{secret}".encode()).digest()


def _mac(purpose, payload, secret=None):
    key = _key(purpose, secret or settings.SECRET_KEY)
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:MAC_CHARS]


def _url_pattern(name):
    """The site URL of view NAME with "{}" where its token goes."""
    return settings.SITE_URL + _path_pattern(name)


@functools.lru_cache(maxsize=16)
def _path_pattern(name):
    return reverse(name, args=["TOKEN"]).replace("TOKEN", "{}")


def make_token(purpose, *numbers):
    payload = "-".join(_base36(number) for number in numbers)
    return f"{payload}-{_mac(purpose, payload)}"


def read_token(purpose, token, count):
    """The COUNT numbers in TOKEN if it was made for PURPOSE with one of our keys, else None."""
    parts = (token or "").strip().lower().split("-")
    if len(parts) != count + 1 or not all(parts):
        return None
    payload, mac = "-".join(parts[:-1]), parts[-1]
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if not any(constant_time_compare(mac, _mac(purpose, payload, secret)) for secret in secrets):
        return None
    try:
        return tuple(int(part, 36) for part in parts[:-1])
    except ValueError:
        return None


def _domain():
    return settings.GOINGSOLO_MAIL_DOMAIN


# --- Reply by email -------------------------------------------------------------------------


def reply_token(thread_id, user_id):
    return make_token("reply", thread_id, user_id)


def reply_address_for(slug, thread_id, user_id):
    return f"{slug}+{reply_token(thread_id, user_id)}@{_domain()}"


def reply_address(thread, user):
    """The address USER replies to in THREAD: stable, and only theirs."""
    return reply_address_for(thread.group.slug, thread.pk, user.pk)


def resolve_reply_token(token):
    """(thread, user) for a reply token, else None. Membership is the caller's to check."""
    numbers = read_token("reply", token, 2)
    if numbers is None:
        return None
    thread_id, user_id = numbers
    thread = Thread.objects.select_related("group").filter(pk=thread_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if thread is None or user is None:
        return None
    return thread, user


# --- Bounces (VERP) ---------------------------------------------------------------------------


def bounce_address(target):
    """The envelope sender (VERP) of one email, so that a bounce names what it was for.

    TARGET is an OutboundEmail or its id (the mailing list's emails: the bounce names the
    email, its member and group), or a member, for mail that is not an OutboundEmail."""
    if isinstance(target, get_user_model()):
        token = MEMBER_BOUNCE_PREFIX + make_token("bounce-member", target.pk)
    else:
        token = make_token("bounce", getattr(target, "pk", target))
    return f"{BOUNCE_LOCAL_PART}+{token}@{_domain()}"


def resolve_bounce_token(token):
    """What a bounce address was made for: the OutboundEmail (its `user` is the member),
    or the member for a member's token; None for anything else."""
    token = (token or "").strip().lower()
    if token.startswith(MEMBER_BOUNCE_PREFIX):
        numbers = read_token("bounce-member", token.removeprefix(MEMBER_BOUNCE_PREFIX), 1)
        if numbers is None:
            return None
        return get_user_model().objects.filter(pk=numbers[0]).first()
    numbers = read_token("bounce", token, 1)
    if numbers is None:
        return None
    return OutboundEmail.objects.select_related("recipient", "group").filter(pk=numbers[0]).first()


# --- Delivery choice and unsubscribe, without logging in ----------------------------------


def unsubscribe_token(user_id, group_id):
    return make_token("unsubscribe", user_id, group_id)


def unsubscribe_url(user_id, group_id):
    return _url_pattern("mail:unsubscribe").format(unsubscribe_token(user_id, group_id))


def unsubscribe_address(slug, user_id, group_id):
    token = unsubscribe_token(user_id, group_id)
    return f"{slug}+{UNSUBSCRIBE_TAG_PREFIX}{token}@{_domain()}"


def resolve_unsubscribe_token(token):
    """(user, group) for an unsubscribe token (with or without its "unsubscribe-" prefix)."""
    token = (token or "").strip().lower().removeprefix(UNSUBSCRIBE_TAG_PREFIX)
    return _user_and_group(read_token("unsubscribe", token, 2))


def delivery_token(user_id, group_id):
    return make_token("delivery", user_id, group_id)


def delivery_url(user_id, group_id):
    """A page where the member changes how this group reaches them, without logging in."""
    return _url_pattern("mail:delivery").format(delivery_token(user_id, group_id))


def resolve_delivery_token(token):
    return _user_and_group(read_token("delivery", token, 2))


def _user_and_group(numbers):
    """(user, group) of a token's numbers while the user is still a member of the group:
    a link in an old email stops working once its member has left."""
    if numbers is None:
        return None
    user_id, group_id = numbers
    user = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True, memberships__group_id=group_id)
        .first()
    )
    group = Group.objects.filter(pk=group_id).first()
    if user is None or group is None:
        return None
    return user, group


# --- Watching a wiki page, without logging in ------------------------------------------------


def unwatch_token(user_id, page_id):
    return make_token("wiki-unwatch", user_id, page_id)


def unwatch_url(user_id, page_id):
    """A page where the member stops watching a wiki page, without logging in."""
    return _url_pattern("mail:wiki_unwatch").format(unwatch_token(user_id, page_id))


def resolve_unwatch_token(token):
    """(user, page) for an unwatch token, else None."""
    numbers = read_token("wiki-unwatch", token, 2)
    if numbers is None:
        return None
    user_id, page_id = numbers
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    page = Page.objects.select_related("group").filter(pk=page_id).first()
    if user is None or page is None:
        return None
    return user, page


# --- Confirming a message whose sender was not proven -----------------------------------------


def confirmation_token(message_id, user_id):
    return make_token("inbound-confirm", message_id, user_id)


def confirmation_url(message_id, user_id):
    """The page where the member posts their held message (or says it is not theirs)."""
    return _url_pattern("mail:confirm").format(confirmation_token(message_id, user_id))


def confirmation_address(slug, message_id, user_id):
    """The Reply-To of the confirmation email: a reply from the member confirms."""
    token = confirmation_token(message_id, user_id)
    return f"{slug}+{CONFIRM_TAG_PREFIX}{token}@{_domain()}"


def resolve_confirmation_token(token):
    """(InboundMessage, member) for a confirmation token (with or without its "confirm-"
    prefix), else None. Whether the message still waits is the caller's to check."""
    token = (token or "").strip().lower().removeprefix(CONFIRM_TAG_PREFIX)
    numbers = read_token("inbound-confirm", token, 2)
    if numbers is None:
        return None
    message_id, user_id = numbers
    message = (
        InboundMessage.objects.defer("raw").select_related("group", "thread").filter(pk=message_id)
    ).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if message is None or user is None or message.author_id != user.pk:
        return None
    return message, user

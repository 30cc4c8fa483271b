"""Addresses and links that carry who and what: reply, bounce (VERP) and unsubscribe.

Each token is a few numbers in base 36 and an HMAC of them keyed by SECRET_KEY (older keys
in SECRET_KEY_FALLBACKS are still accepted), all in lower case: mail software may change
the case of a local part, and the listener reads addresses in lower case. Nothing is stored,
so a token costs no database write, even for a digest to 10,000 members.

A member's tokens (all but the bounce ones) are signed with their key too (`member_key`):
their `User.private_links_key`, which "reset my private links" draws anew, and, for a
group's tokens, their membership's id, which leaving and joining again changes. So a
reset, leaving the group or deleting the account makes every token emailed before it
refused, while the same member in the same group always gets the same address.

    <slug>+<reply token>@DOMAIN               replying posts as the member in the thread
    /mail/unwatch/<token>/                    stops the member watching a wiki page
    /mail/choice/<token>/                     the member's email choice for a group
    /mail/unsubscribe/<token>/                stops the group's emails (and the mailto:)
    <slug>+unsubscribe-<token>@DOMAIN         List-Unsubscribe by mail
    <slug>+confirm-<token>@DOMAIN             replying posts a message held because its
    /mail/confirm/<token>/                    sender was not proven (the page's button too)
    bounces+<bounce token>@DOMAIN             the envelope sender of each email (VERP):
                                              names the OutboundEmail, or ("m-…") a member

The inbound side resolves them with `resolve_reply_token`, `resolve_unsubscribe_token`,
`resolve_bounce_token` and `resolve_confirmation_token`; each returns None for anything it
did not make, or that was revoked. `former_token` tells a token of the kind made before
tokens were signed with the member's key (December 2026): refused too, with its own
explanation.
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
from goingsolo.groups.models import Membership
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


def _mac(purpose, payload, secret=None, member=None):
    """The HMAC of PAYLOAD for PURPOSE; MEMBER: the member's key (member_key) a member's
    token is signed with, None for the tokens that name no member (bounces) and for the
    former kind. The "|" keeps a member's token unlike a former one even with an empty key."""
    key = _key(purpose, secret or settings.SECRET_KEY)
    data = payload if member is None else f"{payload}|{member}"
    digest = hmac.new(key, data.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:MAC_CHARS]


def member_key(private_links_key, membership_id=None):
    """What a member's tokens are signed with besides SECRET_KEY: their private links key
    and, for a group's tokens, the id of their membership of the group."""
    return f"{private_links_key or ''}:{membership_id or ''}"


def member_key_of(user_id, group_id=None):
    """member_key of the member USER_ID (in GROUP_ID), read from the database: for the
    pages and emails that make one token; the outbound queue passes keys it loaded."""
    private = (
        get_user_model().objects.filter(pk=user_id).values_list("private_links_key", flat=True)
    ).first()
    membership_id = None
    if group_id is not None:
        membership_id = (
            Membership.objects.filter(user_id=user_id, group_id=group_id)
            .values_list("pk", flat=True)
            .first()
        )
    return member_key(private, membership_id)


def _url_pattern(name):
    """The site URL of view NAME with "{}" where its token goes."""
    return settings.SITE_URL + _path_pattern(name)


@functools.lru_cache(maxsize=16)
def _path_pattern(name):
    return reverse(name, args=["TOKEN"]).replace("TOKEN", "{}")


def make_token(purpose, *numbers, member=None):
    """A token of NUMBERS for PURPOSE; MEMBER: the member's key (member_key), for tokens
    that act as a member."""
    payload = "-".join(_base36(number) for number in numbers)
    return f"{payload}-{_mac(purpose, payload, member=member)}"


def _split(token, count):
    """(payload, mac, numbers) of a token of COUNT numbers, unverified; None if malformed."""
    parts = (token or "").strip().lower().split("-")
    if len(parts) != count + 1 or not all(parts):
        return None
    try:
        numbers = tuple(int(part, 36) for part in parts[:-1])
    except ValueError:
        return None
    return "-".join(parts[:-1]), parts[-1], numbers


def _signed(purpose, payload, mac, member=None):
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(
        constant_time_compare(mac, _mac(purpose, payload, secret, member)) for secret in secrets
    )


def read_token(purpose, token, count):
    """The COUNT numbers in TOKEN if it was made for PURPOSE with one of our keys and no
    member's key (bounce tokens), else None."""
    split = _split(token, count)
    if split is None or not _signed(purpose, split[0], split[1]):
        return None
    return split[2]


def _read_member_token(purpose, token, count):
    """(numbers, check) for a member's token: CHECK(member_key) says whether it was signed
    with that key. None when TOKEN is malformed."""
    split = _split(token, count)
    if split is None:
        return None
    payload, mac, numbers = split
    return numbers, lambda member: _signed(purpose, payload, mac, member)


# What each kind of member's token is made for (the purpose keys its HMAC).
PURPOSES = {
    "reply": ("reply", 2),
    "unsubscribe": ("unsubscribe", 2),
    "delivery": ("delivery", 2),
    "unwatch": ("wiki-unwatch", 2),
    "confirm": ("inbound-confirm", 2),
}


def former_token(kind, token):
    """Whether TOKEN is a KIND token (a key of PURPOSES) of the former kind, signed without
    the member's key: made before December 2026, refused since, with its own explanation."""
    purpose, count = PURPOSES[kind]
    token = (token or "").strip().lower()
    for prefix in (UNSUBSCRIBE_TAG_PREFIX, CONFIRM_TAG_PREFIX):
        token = token.removeprefix(prefix)
    return read_token(purpose, token, count) is not None


def _domain():
    return settings.GOINGSOLO_MAIL_DOMAIN


# --- Reply by email -------------------------------------------------------------------------


def reply_token(thread_id, user_id, group_id=None, *, member=None):
    if member is None:
        member = member_key_of(user_id, group_id or _group_of_thread(thread_id))
    return make_token("reply", thread_id, user_id, member=member)


def _group_of_thread(thread_id):
    return Thread.objects.filter(pk=thread_id).values_list("group_id", flat=True).first()


def reply_address_for(slug, thread_id, user_id, *, group_id=None, member=None):
    token = reply_token(thread_id, user_id, group_id, member=member)
    return f"{slug}+{token}@{_domain()}"


def reply_address(thread, user):
    """The address USER replies to in THREAD: stable, and only theirs."""
    return reply_address_for(thread.group.slug, thread.pk, user.pk, group_id=thread.group_id)


def resolve_reply_token(token):
    """(thread, user) for a reply token, else None. Membership is the caller's to check
    (a token of a membership that ended is None already)."""
    found = _read_member_token("reply", token, 2)
    if found is None:
        return None
    (thread_id, user_id), signed_with = found
    thread = Thread.objects.select_related("group").filter(pk=thread_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if thread is None or user is None:
        return None
    if not signed_with(_key_of(user, thread.group_id)):
        return None
    return thread, user


def _key_of(user, group_id=None):
    membership_id = None
    if group_id is not None:
        membership_id = (
            Membership.objects.filter(user=user, group_id=group_id)
            .values_list("pk", flat=True)
            .first()
        )
    return member_key(user.private_links_key, membership_id)


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


def unsubscribe_token(user_id, group_id, *, member=None):
    member = member_key_of(user_id, group_id) if member is None else member
    return make_token("unsubscribe", user_id, group_id, member=member)


def unsubscribe_url(user_id, group_id, *, member=None):
    return _url_pattern("mail:unsubscribe").format(
        unsubscribe_token(user_id, group_id, member=member)
    )


def unsubscribe_address(slug, user_id, group_id, *, member=None):
    token = unsubscribe_token(user_id, group_id, member=member)
    return f"{slug}+{UNSUBSCRIBE_TAG_PREFIX}{token}@{_domain()}"


def resolve_unsubscribe_token(token):
    """(user, group) for an unsubscribe token (with or without its "unsubscribe-" prefix)."""
    token = (token or "").strip().lower().removeprefix(UNSUBSCRIBE_TAG_PREFIX)
    return _user_and_group(_read_member_token("unsubscribe", token, 2))


def delivery_token(user_id, group_id, *, member=None):
    member = member_key_of(user_id, group_id) if member is None else member
    return make_token("delivery", user_id, group_id, member=member)


def delivery_url(user_id, group_id, *, member=None):
    """A page where the member changes how this group reaches them, without logging in."""
    return _url_pattern("mail:delivery").format(delivery_token(user_id, group_id, member=member))


def resolve_delivery_token(token):
    return _user_and_group(_read_member_token("delivery", token, 2))


def _user_and_group(found):
    """(user, group) of a member's token while the user is still a member of the group,
    by the same membership: a link in an old email stops working once its member has
    left, and stays refused should they join again."""
    if found is None:
        return None
    (user_id, group_id), signed_with = found
    membership = (
        Membership.objects.filter(user_id=user_id, group_id=group_id, user__is_active=True)
        .select_related("user", "group")
        .first()
    )
    if membership is None:
        return None
    if not signed_with(member_key(membership.user.private_links_key, membership.pk)):
        return None
    return membership.user, membership.group


# --- Watching a wiki page, without logging in ------------------------------------------------


def unwatch_token(user_id, page_id, *, member=None):
    if member is None:
        group_id = Page.objects.filter(pk=page_id).values_list("group_id", flat=True).first()
        member = member_key_of(user_id, group_id)
    return make_token("wiki-unwatch", user_id, page_id, member=member)


def unwatch_url(user_id, page_id, *, member=None):
    """A page where the member stops watching a wiki page, without logging in."""
    return _url_pattern("mail:wiki_unwatch").format(unwatch_token(user_id, page_id, member=member))


def resolve_unwatch_token(token):
    """(user, page) for an unwatch token, else None."""
    found = _read_member_token("wiki-unwatch", token, 2)
    if found is None:
        return None
    (user_id, page_id), signed_with = found
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    page = Page.objects.select_related("group").filter(pk=page_id).first()
    if user is None or page is None or not signed_with(_key_of(user, page.group_id)):
        return None
    return user, page


# --- Confirming a message whose sender was not proven -----------------------------------------


def confirmation_token(message_id, user_id):
    return make_token("inbound-confirm", message_id, user_id, member=member_key_of(user_id))


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
    found = _read_member_token("inbound-confirm", token, 2)
    if found is None:
        return None
    (message_id, user_id), signed_with = found
    message = (
        InboundMessage.objects.defer("raw").select_related("group", "thread").filter(pk=message_id)
    ).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if message is None or user is None or message.author_id != user.pk:
        return None
    if not signed_with(member_key(user.private_links_key)):
        return None
    return message, user

"""Mail's part of a member's export and of deleting their account (the registry:
`goingsolo/accounts/privacy.py`; docs/privacy.md).

Export: what the member wrote by email that is nowhere else in the export — their
messages that were not posted (held for a moderator, waiting for their confirmation,
refused), with their text — and their email choice for each group. What they posted by
email is in the discussions' posts.

Erasure: everything mail holds about the member — the messages received from them (by
account or by any of their addresses) with their raw text, held and waiting ones
included; every email to them, queued or sent; their bounce records and paused delivery;
their email choices. Their tokens are not stored: the deletion draws a new private links
key and closes the account, which refuses every one of them (reply_tokens).
"""

from django.db import transaction
from django.db.models import Q

from goingsolo.accounts.privacy import ExportFile, eraser, exporter

from .inbound.parsing import parse_message
from .models import (
    BounceEvent,
    DeliveryPause,
    InboundMessage,
    ListSubscription,
    OutboundEmail,
)

Status = InboundMessage.Status

# The member's messages that were not posted: their text is nowhere else.
UNPOSTED = [Status.HELD, Status.AWAITING, Status.REJECTED]


@exporter
def export_mail(user):
    messages = (
        InboundMessage.objects.filter(author=user, status__in=UNPOSTED)
        .select_related("group")
        .order_by("received_at", "pk")
    )
    yield ExportFile(
        "email_messages_not_posted.json",
        [
            {
                "group": message.group.slug if message.group else "",
                "to": message.recipients,
                "from": message.sender,
                "subject": message.subject,
                "received_at": message.received_at,
                "status": message.status,
                "text": parse_message(bytes(message.raw)).body_text,
            }
            for message in messages
        ],
    )
    choices = ListSubscription.objects.filter(user=user).select_related("group")
    yield ExportFile(
        "email_choices.json",
        [
            {"group": choice.group.slug, "delivery": choice.delivery, "since": choice.changed_at}
            for choice in choices.order_by("group__slug")
        ],
    )


@eraser
def erase_mail(user, *, keep_posts):
    account_mail_erase(user=user)


def _addresses_of(user):
    addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
    return [address for address in addresses if address]


def _any_address(field, addresses):
    query = Q(pk__in=[])
    for address in addresses:
        query |= Q(**{f"{field}__iexact": address})
    return query


@transaction.atomic
def account_mail_erase(*, user):
    """Deletes what mail holds about USER, whose account is being deleted (run before
    their addresses go): inbound messages from them, emails to them, bounces, paused
    delivery, email choices. Returns how many rows went, by model label.

    Whether KEEP_POSTS or not, the inbound messages go: a kept post stays as a post, and
    its message's raw text holds the member's address. Side effects: none.
    """
    addresses = _addresses_of(user)
    deleted = {}
    for queryset in (
        InboundMessage.objects.filter(Q(author=user) | _any_address("sender", addresses)),
        OutboundEmail.objects.filter(Q(recipient=user) | _any_address("to_address", addresses)),
        BounceEvent.objects.filter(Q(user=user) | _any_address("address", addresses)),
        DeliveryPause.objects.filter(user=user),
        ListSubscription.objects.filter(user=user),
    ):
        deleted[queryset.model._meta.label] = queryset.delete()[0]
    return deleted

"""One way out: an email backend that puts every message in the outbound queue.

settings.GOINGSOLO_OUTBOX_BACKEND names `QueueBackend`; `core.emails.build_email` and the
account adapter bind their messages to it, so `message.send()` stores the message as
OutboundEmail rows, one per recipient, and asks for delivery once the transaction commits.
The worker (delivery.py) then sends each row as it sends list mail: leases, retries, a VERP
return path naming the row, the bounce pause, DKIM. settings.EMAIL_BACKEND stays the
transport the worker talks to (SMTP in production, the console in the embedded run,
Django's locmem outbox under test).

What the queue reads on a message (set by `core.emails.queued`):
- `queue_kind`: an OutboundEmail.Kind for mail that is not list mail. Account (security)
  mail goes first and reaches a member whose delivery is paused; the others go before
  list mail and wait while a pause lasts.
- `queue_member_id`: the member the message is for; without it, the recipient's address
  is looked up among members' addresses.
- `queue_key`: the idempotency key. The same key queues one email only, so a job that runs
  again adds nothing. Without one, the rows are written in the caller's transaction: they
  exist if and only if it commits.
"""

import uuid
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from ..addresses import member_for_address
from ..models import OutboundEmail
from .delivery import request_delivery

Kind = OutboundEmail.Kind
Priority = OutboundEmail.Priority

# Kinds a message built elsewhere may have: list kinds are built here, from a part.
PREBUILT_KINDS = {Kind.ACCOUNT, Kind.NOTICE, Kind.EVENT, Kind.REFUSAL}


def priority_of(kind):
    return Priority.SECURITY if kind == Kind.ACCOUNT else Priority.PERSONAL


class QueueBackend(BaseEmailBackend):
    """A Django email backend whose "sending" is storing in the outbound queue."""

    def send_messages(self, email_messages):
        return sum(queue_message(message) for message in email_messages)


@transaction.atomic
def queue_message(message):
    """Stores MESSAGE in the outbound queue, one row per envelope recipient; returns 1 if
    it had recipients, else 0.

    Side effects: OutboundEmail rows; on commit, the delivery job.
    """
    recipients = [parseaddr(address)[1] for address in message.recipients()]
    recipients = [address for address in recipients if address]
    if not recipients:
        return 0
    kind = getattr(message, "queue_kind", Kind.NOTICE)
    if kind not in PREBUILT_KINDS:
        raise ValueError(f"An email built elsewhere cannot be of kind {kind!r}.")
    key = getattr(message, "queue_key", "") or f"msg:{uuid.uuid4().hex}"
    member_id = getattr(message, "queue_member_id", None)
    # Our own domain in the Message-ID: the listener knows it for ours if it comes back.
    if not any(name.lower() == "message-id" for name in message.extra_headers):
        message.extra_headers["Message-ID"] = make_msgid(domain=settings.GOINGSOLO_MAIL_DOMAIN)
    built = message.message()
    data = built.as_bytes(linesep="\r\n")
    rows = []
    for index, address in enumerate(recipients):
        if member_id is None:
            member = member_for_address(address)
            recipient_id = member.pk if member is not None else None
        else:
            recipient_id = member_id
        rows.append(
            OutboundEmail(
                kind=kind,
                priority=priority_of(kind),
                idempotency_key=key if len(recipients) == 1 else f"{key}:{index}",
                recipient_id=recipient_id,
                to_address=address,
                raw_message=data,
                message_id=str(built["Message-ID"]),
            )
        )
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    request_delivery()
    return 1

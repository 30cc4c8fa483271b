"""Telling the sender of a refused message why it was not posted.

The explanation is an automatic answer (emails/inbound_refused_*), sent by its own job,
and only to a sender who is proven and looks like a person:

- never to a machine, a null return path, our own addresses (loops.is_plausible_human);
- never to a sender whose From address is not proven (SPF, DKIM, DMARC, or a reply or
  confirmation token that only that member received): anyone can write any address in
  From, and an explanation sent to a forged one is backscatter, mail to a stranger who
  wrote nothing. The job checks the sender when the routing did not (replies by token,
  confirmations), outside any transaction, since it asks DNS;
- at most once an hour per address (loops.answer_slot_claim);
- never naming a group the sender may not know exists: a non-member writing to a secret
  group's address gets exactly the answer of an unknown address (`as_seen_by_sender`).
"""

import hashlib
import logging
from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django_tasks import task

from goingsolo.core.emails import Kind as EmailKind
from goingsolo.core.emails import build_email
from goingsolo.groups import rules

from .. import loops
from ..addresses import member_for_address
from ..loops import ORIGIN_HEADER
from ..models import InboundMessage
from .authentication import Envelope, sender_verdict
from .parsing import parse_message

logger = logging.getLogger(__name__)


def explain(message, parsed, outcome):
    """Tells the sender why their message was not posted, when they may be told: the job
    decides, once it knows the sender is proven (`outcome.sender_proven`, or checked by
    the job when None). Side effects on commit: the job send_inbound_refusal."""
    if not loops.is_plausible_human(parsed, message.mail_from):
        outcome.note += " (sender not told)"
        return
    shown = as_seen_by_sender(outcome, parsed.from_address)
    context = refusal_context(message, parsed, shown)
    # A stranger's language is unknown: the explanation is in each of the site's languages.
    languages = [shown.language] if shown.language else list(settings.GOINGSOLO_LANGUAGES)
    to = parsed.from_address
    in_reply_to = parsed.raw_header("Message-ID")[:998]
    pk, proven = message.pk, outcome.sender_proven

    def send():
        send_inbound_refusal.enqueue(
            address=to,
            languages=languages,
            context=context,
            in_reply_to=in_reply_to,
            message_pk=pk,
            proven=proven,
        )

    transaction.on_commit(send)


def as_seen_by_sender(outcome, address):
    """OUTCOME as its explanation may tell it to the owner of ADDRESS: a group they may not
    know exists (a secret group they are not a member of) becomes an address where there
    is no group, so the answer is the same, word for word, as for an unknown address."""
    if outcome.group is None or outcome.refusal == "no_group":
        return outcome
    if rules.can(member_for_address(address), rules.Action.FIND, outcome.group):
        return outcome
    return replace(
        outcome,
        refusal="no_group",
        refusal_context={},
        group=None,
        thread=None,
        language=None,
    )


def refusal_context(message, parsed, outcome):
    """What emails/inbound_refused_why.txt needs to say why OUTCOME posted nothing."""
    group = outcome.group
    thread = outcome.thread
    return {
        "reason": outcome.refusal,
        "subject": parsed.subject,
        "address": (message.recipients or [""])[0],
        "sender": parsed.from_address,
        "group_name": group.name if group else "",
        "group_url": settings.SITE_URL.rstrip("/") + group.get_absolute_url() if group else "",
        "thread_url": settings.SITE_URL.rstrip("/") + thread.get_absolute_url() if thread else "",
        "signup_url": settings.SITE_URL.rstrip("/") + reverse("account_signup"),
        "email_settings_url": settings.SITE_URL.rstrip("/") + reverse("account_email"),
        **outcome.refusal_context,
    }


def sender_is_proven(message_pk):
    """Whether the From address of the stored message MESSAGE_PK is proven (SPF, DKIM,
    DMARC: authentication.py). Asks DNS: call it outside any transaction."""
    if not settings.GOINGSOLO_MAIL_AUTHENTICATE:
        return True
    stored = (
        InboundMessage.objects.filter(pk=message_pk)
        .only("raw", "mail_from", "client_address", "helo", "authentication")
        .first()
    )
    if stored is None:
        return False
    if stored.authentication:  # the routing checked it already
        return stored.authentication.startswith("proven")
    raw = bytes(stored.raw)
    envelope = Envelope(
        client_address=stored.client_address,
        helo=stored.helo,
        mail_from="" if stored.mail_from == "<>" else stored.mail_from,
    )
    verdict = sender_verdict(raw=raw, parsed=parse_message(raw), envelope=envelope)
    InboundMessage.objects.filter(pk=message_pk, authentication="").update(
        authentication=verdict.summary
    )
    return verdict.proven


def _note(message_pk, text):
    if message_pk is not None:
        InboundMessage.objects.filter(pk=message_pk).update(note=Concat(F("note"), Value(text)))


@task()
def send_inbound_refusal(
    *, address, languages, context, in_reply_to="", message_pk=None, proven=None
):
    """Explains to ADDRESS why their message MESSAGE_PK was not posted, in LANGUAGES (one
    or both), when its sender is proven and was not told anything within the hour.

    PROVEN: True when the routing proved the sender, False when it found them unproven,
    None when it did not check (this job checks). A job queued before senders were checked
    here names no message: it sends nothing.

    An automatic answer (RFC 3834): marked auto-replied, so that a well-behaved
    responder does not answer it, and carrying our origin header, so that the listener
    ignores it should it come back. One explanation per message refused: the key is the
    address and the refused message's Message-ID, so a job run again (or the same message
    delivered twice) queues nothing more. Side effects: the email; a few words on the
    message's note saying whether the sender was told.
    """
    if message_pk is None:
        logger.info("A refusal to %s names no message: not sent", address)
        return
    if proven is None:
        proven = sender_is_proven(message_pk)
    if not proven:
        _note(message_pk, " (sender not told: not proven)")
        return
    if not loops.answer_slot_claim(address):
        _note(message_pk, " (sender not told)")
        return
    headers = {"Auto-Submitted": "auto-replied", ORIGIN_HEADER: settings.GOINGSOLO_MAIL_DOMAIN}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = in_reply_to
    build_email(
        "inbound_refused",
        {**context, "languages": languages},
        to=address,
        language=languages[0],
        headers=headers,
        kind=EmailKind.REFUSAL,
        idempotency_key=_refusal_key(address, in_reply_to),
    ).send()
    _note(message_pk, " (sender told)")


def _refusal_key(address, in_reply_to):
    if not in_reply_to:
        return ""  # no Message-ID to know the message by: a key of its own
    digest = hashlib.sha256(f"{address.lower()}\n{in_reply_to}".encode()).hexdigest()
    return f"refusal:{digest[:40]}"

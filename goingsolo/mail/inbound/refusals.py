"""Telling the sender of a refused message why it was not posted.

The explanation is an automatic answer (emails/inbound_refused_*), sent by its own job,
only to senders who look like a person (loops.may_answer)."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from goingsolo.core.emails import Kind as EmailKind
from goingsolo.core.emails import build_email

from .. import loops
from ..loops import ORIGIN_HEADER


def explain(message, parsed, outcome):
    """Tells the sender why their message was not posted, when they may be told."""
    if not loops.may_answer(parsed, message.mail_from):
        outcome.note += " (sender not told)"
        return
    context = refusal_context(message, parsed, outcome)
    # A stranger's language is unknown: the explanation is in each of the site's languages.
    languages = [outcome.language] if outcome.language else list(settings.GOINGSOLO_LANGUAGES)
    to = parsed.from_address
    in_reply_to = parsed.raw_header("Message-ID")[:998]

    def send():
        send_inbound_refusal.enqueue(
            address=to, languages=languages, context=context, in_reply_to=in_reply_to
        )

    transaction.on_commit(send)
    outcome.note += " (sender told)"


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


@task()
def send_inbound_refusal(*, address, languages, context, in_reply_to=""):
    """Explains to ADDRESS why their message was not posted, in LANGUAGES (one or both).

    An automatic answer (RFC 3834): marked auto-replied, so that a well-behaved
    responder does not answer it, and carrying our origin header, so that the listener
    ignores it should it come back. One explanation per message refused: the key is the
    address and the refused message's Message-ID, so a job run again (or the same message
    delivered twice) queues nothing more.
    """
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


def _refusal_key(address, in_reply_to):
    if not in_reply_to:
        return ""  # no Message-ID to know the message by: a key of its own
    digest = hashlib.sha256(f"{address.lower()}\n{in_reply_to}".encode()).hexdigest()
    return f"refusal:{digest[:40]}"

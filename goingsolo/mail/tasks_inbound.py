"""Jobs of inbound mail: thin adapters over goingsolo.mail.inbound."""

import hashlib

from django.conf import settings
from django_tasks import task

from goingsolo.core.emails import Kind, build_email

from .loops import ORIGIN_HEADER


@task()
def process_inbound_message(*, message_pk):
    """Posts, holds, refuses or files a stored inbound message (see inbound_process)."""
    from .inbound import inbound_process

    inbound_process(message_pk)


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
        kind=Kind.REFUSAL,
        idempotency_key=_refusal_key(address, in_reply_to),
    ).send()


@task()
def send_inbound_confirmation(*, message_pk):
    """Asks the author of a message whose sender was not proven whether they sent it (see
    inbound.confirmation_email); nothing when it no longer waits."""
    from .inbound import confirmation_email

    email = confirmation_email(message_pk)
    if email is not None:
        email.send()


def _refusal_key(address, in_reply_to):
    if not in_reply_to:
        return ""  # no Message-ID to know the message by: a key of its own
    digest = hashlib.sha256(f"{address.lower()}\n{in_reply_to}".encode()).hexdigest()
    return f"refusal:{digest[:40]}"

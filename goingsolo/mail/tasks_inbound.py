"""Jobs of inbound mail: thin adapters over goingsolo.mail.inbound."""

from django.conf import settings
from django_tasks import task

from goingsolo.core.emails import build_email

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
    ignores it should it come back.
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
    ).send()


@task()
def send_inbound_confirmation(*, message_pk):
    """Asks the author of a message whose sender was not proven whether they sent it (see
    inbound.confirmation_email); nothing when it no longer waits."""
    from .inbound import confirmation_email

    email = confirmation_email(message_pk)
    if email is not None:
        email.send()

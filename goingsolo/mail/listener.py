"""The inbound mail listener: an aiosmtpd handler, a thin adapter over the database.

RCPT: an address that is not ours is refused with 550. DATA: aiosmtpd refuses a message over
the size limit with 552; an accepted message is stored raw before the 250 reply.
"""

import email.parser
import email.policy
import logging

from asgiref.sync import sync_to_async
from django.db import close_old_connections

from .addresses import accepts_recipient
from .models import InboundMessage

logger = logging.getLogger(__name__)


def _store(envelope):
    close_old_connections()
    raw = envelope.original_content or envelope.content
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
        message_id = str(headers.get("Message-ID", "") or "").strip()[:998]
    except Exception:  # a broken header block is still stored, for the admin
        message_id = ""
    return InboundMessage.objects.create(
        mail_from=(envelope.mail_from or "")[:512],
        recipients=list(envelope.rcpt_tos),
        message_id=message_id,
        raw=raw,
        size=len(raw),
    )


class InboundHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        known = await sync_to_async(_accepts, thread_sensitive=True)(address)
        if not known:
            return "550 5.1.1 No such list or address here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        try:
            message = await sync_to_async(_store, thread_sensitive=True)(envelope)
        except Exception:
            logger.exception("Could not store an inbound message")
            return "451 4.3.0 Temporary failure, try again later"
        logger.info("Stored inbound message %s (%s bytes)", message.pk, message.size)
        return "250 OK: message stored"


def _accepts(address):
    close_old_connections()
    return accepts_recipient(address)

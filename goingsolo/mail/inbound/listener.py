"""The inbound mail listener: an aiosmtpd handler, a thin adapter over the database.

RCPT: an address that is not ours is refused with 550. DATA: aiosmtpd refuses a message over
the size limit with 552; an accepted message is stored raw before the 250 reply, and its
processing job is enqueued once the row is committed (inbound/services.py). The row keeps
what the conversation said of the sender (client address, HELO, MAIL FROM): SPF checks them.
"""

import logging

from aiosmtpd.lmtp import LMTP
from asgiref.sync import sync_to_async
from django.db import close_old_connections

from goingsolo.core import rate_limits

from ..addresses import accepts_recipient
from .services import inbound_store

logger = logging.getLogger(__name__)


def _store(session, envelope):
    close_old_connections()
    raw = envelope.original_content or envelope.content
    # MAIL FROM:<> (a bounce or an auto-reply) is kept as "<>", to tell it from unknown.
    mail_from = envelope.mail_from if envelope.mail_from else "<>"
    peer = session.peer
    client_address = peer[0] if isinstance(peer, tuple) and peer else ""
    return inbound_store(
        raw=raw,
        mail_from=mail_from,
        recipients=envelope.rcpt_tos,
        client_address=str(client_address),
        helo=session.host_name or "",
    )


class InboundHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        try:
            known = await sync_to_async(_accepts, thread_sensitive=True)(
                address, envelope.mail_from or ""
            )
        except Exception:
            logger.exception("Could not check a recipient")
            return "451 4.3.0 Temporary failure, try again later"
        if not known:
            return "550 5.1.1 No such list or address here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        try:
            if await sync_to_async(_too_many, thread_sensitive=True)(envelope):
                return _per_recipient(
                    server,
                    envelope,
                    "451 4.7.1 Too many messages from this sender, try again later",
                )
            message = await sync_to_async(_store, thread_sensitive=True)(session, envelope)
        except Exception:
            logger.exception("Could not store an inbound message")
            return _per_recipient(server, envelope, "451 4.3.0 Temporary failure, try again later")
        logger.info("Stored inbound message %s (%s bytes)", message.pk, message.size)
        return _per_recipient(server, envelope, "250 OK: message stored")


def _per_recipient(server, envelope, status):
    """LMTP answers DATA once per accepted recipient (RFC 2033); SMTP once."""
    if isinstance(server, LMTP):
        return "\r\n".join([status] * max(len(envelope.rcpt_tos), 1))
    return status


def _accepts(address, sender):
    close_old_connections()
    return accepts_recipient(address, sender=sender)


def _too_many(envelope):
    """Whether the sender of ENVELOPE is over its rate (GOINGSOLO_RATE_LIMITS'
    "inbound_email", per MAIL FROM address). A null sender (a bounce) is not counted."""
    if not envelope.mail_from:
        return False
    close_old_connections()
    return rate_limits.hit("inbound_email", key=envelope.mail_from.lower()) is not None

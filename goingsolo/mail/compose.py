"""The bytes of one email: a shared part, this recipient's values, the list headers.

Headers (docs/mailing-list.md has the reasons):
- From is the group's address on the instance's domain, the author in the display name
  ("Marie via Going Solo"), never the author's address: the list passes DMARC.
- Posts: To the list, Reply-To this member's reply address for the thread, Message-ID of the
  post, In-Reply-To and References for threading. Written by people, so no Auto-Submitted.
- Digests and notices: To the member, Auto-Submitted: auto-generated (machine-made).
- All: List-Id, List-Post, List-Archive, List-Help, List-Unsubscribe (https and mailto) with
  List-Unsubscribe-Post (RFC 8058), Precedence: list, and a DKIM signature when configured.
"""

import functools
import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from . import dkim_signing
from .models_outbound import OutboundEmail
from .outbound import absolute_url, list_address, list_id
from .reply_tokens import delivery_url, reply_address_for, unsubscribe_address, unsubscribe_url

MACHINE_MADE = {
    OutboundEmail.Kind.DIGEST_DAILY,
    OutboundEmail.Kind.DIGEST_WEEKLY,
    OutboundEmail.Kind.NOTICE,
}


@functools.lru_cache(maxsize=256)
def _marker_pattern(nonce):
    return re.compile("gs" + re.escape(nonce) + r"x(delivery|unsubscribe|reply-(\d+))")


def fill(content, nonce, *, user_id, group):
    """CONTENT with the part's markers replaced by this recipient's values."""
    values = {}

    def value(match):
        name = match.group(1)
        if name not in values:
            if name == "delivery":
                values[name] = delivery_url(user_id, group.pk)
            elif name == "unsubscribe":
                values[name] = unsubscribe_url(user_id, group.pk)
            else:
                values[name] = reply_address_for(group.slug, int(match.group(2)), user_id)
        return values[name]

    return _marker_pattern(nonce).sub(value, content)


def _address(text):
    name, _, addr_spec = text.rpartition(" <")
    return Address(display_name=name, addr_spec=addr_spec.rstrip(">")) if name else text


def build_message(email, *, part, group, to_address) -> bytes:
    """The message EMAIL sends to TO_ADDRESS, as bytes with CRLF line endings, DKIM-signed
    when a key is configured. The same row gives the same message each time it is built,
    but for MIME boundaries and the signature's timestamp."""
    user_id = email.recipient_id
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name=part.from_name, addr_spec=list_address(group))
    if email.kind in MACHINE_MADE:
        message["To"] = to_address
    else:
        message["To"] = Address(display_name=group.name, addr_spec=list_address(group))
        if email.thread_id:
            message["Reply-To"] = Address(
                display_name=group.name,
                addr_spec=reply_address_for(group.slug, email.thread_id, user_id),
            )
    message["Subject"] = part.subject
    message["Date"] = format_datetime(datetime.fromisoformat(part.headers["Date"]))
    message["Message-ID"] = email.message_id
    for name in ("In-Reply-To", "References"):
        if part.headers.get(name):
            message[name] = part.headers[name]
    message["List-Id"] = list_id(group)
    message["List-Post"] = f"<mailto:{list_address(group)}>"
    message["List-Archive"] = f"<{absolute_url(group.get_absolute_url())}>"
    message["List-Help"] = f"<{delivery_url(user_id, group.pk)}>"
    message["List-Unsubscribe"] = (
        f"<{unsubscribe_url(user_id, group.pk)}>, "
        f"<mailto:{unsubscribe_address(group.slug, user_id, group.pk)}?subject=unsubscribe>"
    )
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Precedence"] = "list"
    if email.kind in MACHINE_MADE:
        message["Auto-Submitted"] = "auto-generated"
    # Outlook's out-of-office replies go nowhere near a list.
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(fill(part.text, part.nonce, user_id=user_id, group=group))
    message.add_alternative(
        fill(part.html, part.nonce, user_id=user_id, group=group), subtype="html"
    )
    return dkim_signing.sign(message.as_bytes())

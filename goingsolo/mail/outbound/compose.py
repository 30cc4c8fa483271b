"""The bytes of one email: a shared part, this recipient's values, the list headers.

Headers (docs/mailing-list.md has the reasons):
- From is the group's address on the instance's domain, the author in the display name
  ("Marie via Going Solo"), never the author's address: the list passes DMARC.
- Posts: To the list, Reply-To this member's reply address for the thread, Message-ID of the
  post, In-Reply-To and References for threading. Written by people, so no Auto-Submitted.
- Digests and notices (a wiki page's changes to its watchers): To the member,
  Auto-Submitted: auto-generated (machine-made).
- All: List-Id, List-Post, List-Archive, List-Help, List-Unsubscribe (https and mailto) with
  List-Unsubscribe-Post (RFC 8058), Precedence: list, and a DKIM signature when configured.
"""

import binascii
import functools
import re
import secrets
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from django.urls import reverse

from goingsolo.core.text import clean_name
from goingsolo.events.answer_links import answer_url_for

from ..models import OutboundEmail
from ..reply_tokens import (
    delivery_url,
    member_key_of,
    reply_address_for,
    unsubscribe_address,
    unsubscribe_url,
    unwatch_url,
)
from . import dkim_signing
from .list_headers import absolute_url, list_address, list_id

MACHINE_MADE = {
    OutboundEmail.Kind.DIGEST_DAILY,
    OutboundEmail.Kind.DIGEST_WEEKLY,
    OutboundEmail.Kind.NOTICE,
}


@functools.lru_cache(maxsize=256)
def _marker_pattern(nonce):
    return re.compile(
        "gs"
        + re.escape(nonce)
        + r"x(delivery|unsubscribe|reply-(\d+)|unwatch-(\d+)|answer-(\d+)-(yes|maybe|no))"
    )


def fill(content, nonce, *, user_id, group, member):
    """CONTENT with the part's markers replaced by this recipient's values. MEMBER: the
    recipient's key in GROUP (reply_tokens.member_key), which signs their links."""
    values = {}

    def value(match):
        name = match.group(1)
        if name not in values:
            if name == "delivery":
                values[name] = delivery_url(user_id, group.pk, member=member)
            elif name == "unsubscribe":
                values[name] = unsubscribe_url(user_id, group.pk, member=member)
            elif name.startswith("unwatch-"):
                # A wiki page's email comes from the page's group.
                values[name] = unwatch_url(user_id, int(match.group(3)), member=member)
            elif name.startswith("answer-"):
                values[name] = answer_url_for(
                    check_id=int(match.group(4)), user_id=user_id, answer=match.group(5)
                )
            else:
                values[name] = reply_address_for(
                    group.slug, int(match.group(2)), user_id, member=member
                )
        return values[name]

    return _marker_pattern(nonce).sub(value, content)


def _ascii_header(name, value):
    """One header whose value is ASCII (addresses, URLs, message ids), folded at spaces.

    Python's email package would encode a word longer than a line (an unsubscribe URL)
    as an RFC 2047 encoded word, which no mail client reads in List-Unsubscribe; these
    are written as they are instead. Line breaks in VALUE are dropped (no injection)."""
    words = " ".join(value.replace("\r", " ").replace("\n", " ").split()).split(" ")
    lines, line = [], f"{name}:"
    for word in words:
        if len(line) + 1 + len(word) > 78 and line != f"{name}:":
            lines.append(line)
            line = " " + word
        else:
            line += " " + word
    lines.append(line)
    return "\r\n".join(lines).encode("ascii") + b"\r\n"


def _subject_header(subject):
    """The Subject header, encoded by the email package's older Header class: the newer
    policy's folding drops the space after a word that ends with a non-breaking space and
    "»" (French: « Apéro » modifiée), and mail clients show "»modifiée"."""
    if subject.isascii():
        return _ascii_header("Subject", subject)
    encoded = Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")
    return f"Subject: {encoded}\r\n".encode("ascii")


def _quoted_printable(text):
    data = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return data.replace(b"\n", b"\r\n")


def archive_url(group):
    return absolute_url(_group_path(group.slug))


@functools.lru_cache(maxsize=256)
def _group_path(slug):
    return reverse("groups:detail", args=[slug])


def build_message(email, *, part, group, to_address, member=None) -> bytes:
    """The message EMAIL sends to TO_ADDRESS, as bytes with CRLF line endings, DKIM-signed
    when a key is configured. The same row gives the same message each time it is built,
    but for the MIME boundary and the signature's timestamp. MEMBER: the recipient's key
    in GROUP (reply_tokens.member_key), read from the database when not given.

    Headers with words to encode (names, subject) go through the email package; the body
    is written here, quoted-printable by binascii, which is many times faster than the
    email package for a digest of a hundred kilobytes."""
    user_id = email.recipient_id
    if member is None:
        member = member_key_of(user_id, group.pk)
    named = EmailMessage(policy=SMTP)
    named["From"] = Address(display_name=clean_name(part.from_name), addr_spec=list_address(group))
    if email.kind in MACHINE_MADE:
        named["To"] = to_address
    else:
        named["To"] = Address(display_name=clean_name(group.name), addr_spec=list_address(group))
        if email.thread_id:
            named["Reply-To"] = Address(
                display_name=clean_name(group.name),
                addr_spec=reply_address_for(group.slug, email.thread_id, user_id, member=member),
            )
    named["Date"] = format_datetime(datetime.fromisoformat(part.headers["Date"]))
    named["List-Id"] = list_id(group)
    head = [bytes(named).rstrip(b"\r\n") + b"\r\n", _subject_header(part.subject)]

    plain = {"Message-ID": email.message_id}
    for name in ("In-Reply-To", "References"):
        if part.headers.get(name):
            plain[name] = part.headers[name]
    plain["List-Post"] = f"<mailto:{list_address(group)}>"
    plain["List-Archive"] = f"<{archive_url(group)}>"
    plain["List-Help"] = f"<{delivery_url(user_id, group.pk, member=member)}>"
    mailto = unsubscribe_address(group.slug, user_id, group.pk, member=member)
    plain["List-Unsubscribe"] = (
        f"<{unsubscribe_url(user_id, group.pk, member=member)}>, "
        f"<mailto:{mailto}?subject=unsubscribe>"
    )
    plain["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    plain["Precedence"] = "list"
    if email.kind in MACHINE_MADE:
        plain["Auto-Submitted"] = "auto-generated"
    # Outlook's out-of-office replies go nowhere near a list.
    plain["X-Auto-Response-Suppress"] = "All"
    boundary = "=_gs_" + secrets.token_hex(12)
    plain["MIME-Version"] = "1.0"
    plain["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
    head.extend(_ascii_header(name, value) for name, value in plain.items())

    delimiter = f"--{boundary}\r\n".encode()
    body = [b"\r\n"]
    for subtype, content in (("plain", part.text), ("html", part.html)):
        body += [
            delimiter,
            f'Content-Type: text/{subtype}; charset="utf-8"\r\n'.encode(),
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            _quoted_printable(
                fill(content, part.nonce, user_id=user_id, group=group, member=member)
            ),
            b"\r\n",
        ]
    body.append(f"--{boundary}--\r\n".encode())
    return dkim_signing.sign(b"".join(head + body))

"""Reading an inbound message without ever raising.

Mail from the internet is anything: broken MIME, headers in the wrong charset, no From,
bytes that are not a message at all. `parse_message` parses with the modern policy and
falls back to compat32 header by header, so every accessor returns a plain value (an empty
one for what is missing or unreadable), and the caller decides what to do with it.
"""

import email.header
import email.message
import email.parser
import email.policy
import email.utils
import hashlib
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .trim import body_text_from_message, decode_text, text_to_post

logger = logging.getLogger(__name__)

MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")
# Headers longer than this are junk; reading them whole would only cost time.
MAX_HEADER_CHARS = 10_000
# Attachments beyond this count are not even looked at.
MAX_ATTACHMENTS = 20


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes = field(repr=False)


class ParsedMessage:
    """A message's headers and parts, read defensively. Never raises.

    The compat32 policy parses: it is several times faster than the modern one and never
    raises on a header; header values are decoded here (raw UTF-8 or Latin-1 bytes, then
    RFC 2047 encoded words).
    """

    def __init__(self, raw: bytes):
        self.raw = bytes(raw or b"")
        self.defects = []
        try:
            self.message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
                self.raw
            )
        except Exception as error:  # the parser is meant not to raise; be sure
            self.defects.append(f"parse: {error!r}")
            self.message = email.message.Message()
        self._raw_headers = {}
        try:
            for name, value in self.message.raw_items():
                self._raw_headers.setdefault(str(name).lower(), []).append(str(value))
        except Exception as error:
            self.defects.append(f"headers: {error!r}")
        self._decoded = {}

    # --- Headers ------------------------------------------------------------------------

    def header(self, name):
        """The header NAME decoded to one line of text, "" when absent or unreadable."""
        values = self.header_all(name)
        return values[0] if values else ""

    def header_all(self, name):
        key = name.lower()
        if key not in self._decoded:
            self._decoded[key] = [
                _one_line(_decode_header(value)) for value in self._raw_headers.get(key, [])
            ]
        return self._decoded[key]

    def raw_header(self, name):
        """The header as it was written (encoded words left alone)."""
        values = self._raw_headers.get(name.lower())
        return _one_line(_to_text(values[0])) if values else ""

    # --- Who and what --------------------------------------------------------------------

    @cached_property
    def from_addresses(self):
        """[(name, address)] of the From header; addresses are lower-cased and valid."""
        found = []
        for value in self.header_all("From"):
            try:
                pairs = email.utils.getaddresses([value])
            except Exception:
                continue
            for name, address in pairs:
                address = address.strip().lower()
                if _valid_address(address):
                    found.append((name.strip(), address))
        return found

    @property
    def from_address(self):
        """The sender's address when the From header names exactly one, else ""."""
        addresses = {address for _name, address in self.from_addresses}
        return addresses.pop() if len(addresses) == 1 else ""

    @property
    def from_name(self):
        return self.from_addresses[0][0] if len(self.from_addresses) == 1 else ""

    @cached_property
    def subject(self):
        return self.header("Subject")[:300]

    @cached_property
    def message_id(self):
        """The Message-ID with its angle brackets, or one made from the content when the
        message has none, so that the same message delivered twice is still recognised."""
        found = MESSAGE_ID.search(self.raw_header("Message-ID"))
        if found:
            return found.group(0)
        digest = hashlib.sha256()
        for name in ("From", "Date", "Subject", "To"):
            digest.update(self.raw_header(name).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(self._body_bytes())
        return f"<{digest.hexdigest()[:40]}@no-message-id>"

    def _body_bytes(self):
        return _split(self.raw)[1]

    @cached_property
    def in_reply_to(self):
        return MESSAGE_ID.findall(self.raw_header("In-Reply-To"))

    @cached_property
    def references(self):
        return MESSAGE_ID.findall(self.raw_header("References"))

    @cached_property
    def parent_ids(self):
        """The messages this one answers, nearest first (In-Reply-To, then References
        from the last)."""
        seen, ordered = set(), []
        for message_id in [*self.in_reply_to, *reversed(self.references)]:
            if message_id not in seen:
                seen.add(message_id)
                ordered.append(message_id)
        return ordered

    @cached_property
    def date(self):
        """The Date header as an aware datetime, or None."""
        value = self.raw_header("Date")
        if not value:
            return None
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if parsed is None or parsed.tzinfo is None:
            return None
        return parsed

    # --- Structure ----------------------------------------------------------------------

    @cached_property
    def content_type(self):
        try:
            return self.message.get_content_type()
        except Exception:
            return "text/plain"

    @cached_property
    def is_delivery_report(self):
        """A DSN (RFC 3464): multipart/report; report-type=delivery-status."""
        if self.content_type != "multipart/report":
            return False
        try:
            return str(self.message.get_param("report-type") or "").lower() == "delivery-status"
        except Exception:
            return False

    def walk(self):
        try:
            yield from self.message.walk()
        except Exception:
            return

    @cached_property
    def body_text(self):
        """The text the author wrote, without quoted history and signatures, with what
        they forward ("" if none): trim.text_to_post."""
        try:
            return without_nul(text_to_post(self.message)).strip()
        except Exception as error:
            logger.warning("Could not read the body of a message: %r", error)
            self.defects.append(f"body: {error!r}")
            return ""

    @cached_property
    def full_text(self):
        """The body as text, history included."""
        try:
            return without_nul(body_text_from_message(self.message))
        except Exception:
            return without_nul(decode_text(self._body_bytes()))

    def attachments(self, *, max_bytes):
        """The message's attachments under MAX_BYTES each, at most MAX_ATTACHMENTS."""
        found = []
        for part in self.walk():
            if len(found) >= MAX_ATTACHMENTS:
                break
            try:
                if part.is_multipart():
                    continue
                disposition = part.get_content_disposition()
                name = _one_line(_decode_header(str(part.get_filename() or "")))
                if disposition != "attachment" and not (
                    name and part.get_content_maintype() != "text"
                ):
                    continue
                data = part.get_payload(decode=True)
                if not isinstance(data, bytes) or not data or len(data) > max_bytes:
                    continue
                found.append(
                    Attachment(
                        name=str(name or "attachment")[:200],
                        content_type=part.get_content_type(),
                        data=data,
                    )
                )
            except Exception:
                continue
        return found


# How the parser keeps the bytes of an 8-bit header it could not decode.
SURROGATE = re.compile("[\udc80-\udcff]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _to_text(value):
    """A raw header value (its 8-bit bytes kept as surrogates) as text: UTF-8, else
    Windows-1252."""
    if not SURROGATE.search(value):
        return value
    return decode_text(value.encode("utf-8", "surrogateescape"))


def _decode_header(value):
    text = _to_text(value)
    if "=?" not in text:
        return text
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except Exception:
        return text


def without_nul(text):
    """TEXT without NUL characters, which PostgreSQL refuses in text columns."""
    return text.replace("\x00", "")


def _one_line(value):
    """A header value on one line, without control characters, of a sensible length."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value[:MAX_HEADER_CHARS]).split())


def _valid_address(address):
    if not address or len(address) > 320:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def message_id_header(raw: bytes) -> str:
    """The Message-ID header as written, read from the header block alone ("" if none)."""
    try:
        headers = _parse_headers(raw)
        return _one_line(str(headers.get("Message-ID", "") or ""))[:998]
    except Exception:
        return ""


def _split(raw):
    """(header block, body) of RAW; the body is RAW itself when no blank line ends a header
    block."""
    ends = [
        (index, len(separator))
        for separator in (b"\r\n\r\n", b"\n\n")
        if (index := raw.find(separator)) >= 0
    ]
    if not ends:
        return raw, raw
    index, length = min(ends)
    return raw[: index + length], raw[index + length :]


def _parse_headers(raw):
    """The header block of RAW, parsed without reading the body (which may be megabytes)."""
    return email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(_split(raw)[0])


def parse_message(raw: bytes) -> ParsedMessage:
    return ParsedMessage(raw)

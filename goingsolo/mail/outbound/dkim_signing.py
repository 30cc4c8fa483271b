"""DKIM signatures (dkimpy) on what the mailing list sends, when a key is configured.

GOINGSOLO_DKIM_PRIVATE_KEY_PATH names a PEM RSA private key (PKCS#1 or PKCS#8, as
`openssl genpkey` writes it); the public key is published in DNS at
`<GOINGSOLO_DKIM_SELECTOR>._domainkey.<GOINGSOLO_DKIM_DOMAIN>` (docs/mailing-list.md).
The signature covers the list headers too: RFC 8058 asks that List-Unsubscribe and
List-Unsubscribe-Post be signed for one-click unsubscribing to be trusted.
"""

import functools
from pathlib import Path

from django.conf import settings

SIGNED_HEADERS = [
    b"From",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"Reply-To",
    b"In-Reply-To",
    b"References",
    b"MIME-Version",
    b"Content-Type",
    b"List-Id",
    b"List-Post",
    b"List-Archive",
    b"List-Help",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
    b"Auto-Submitted",
    b"Precedence",
]


@functools.cache
def _private_key(path):
    """The key in the PKCS#1 form dkimpy reads, whichever PEM form the file holds."""
    data = Path(path).read_bytes()
    if b"BEGIN RSA PRIVATE KEY" in data:
        return data
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415 -- PKCS#8 keys only

    key = serialization.load_pem_private_key(data, password=None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def is_configured():
    return bool(settings.GOINGSOLO_DKIM_PRIVATE_KEY_PATH)


def sign(message: bytes) -> bytes:
    """MESSAGE (CRLF line endings) with a DKIM-Signature header in front, or unchanged when
    no key is configured."""
    if not is_configured():
        return message
    import dkim  # noqa: PLC0415 -- dkimpy weighs ~14 MB with dnspython: instances that sign only

    key = _private_key(settings.GOINGSOLO_DKIM_PRIVATE_KEY_PATH)
    present = {line.split(b":", 1)[0].strip().lower() for line in _header_lines(message)}
    include = [name for name in SIGNED_HEADERS if name.lower() in present]
    signature = dkim.sign(
        message,
        settings.GOINGSOLO_DKIM_SELECTOR.encode(),
        settings.GOINGSOLO_DKIM_DOMAIN.encode(),
        key,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=include,
    )
    return signature + message


def _header_lines(message):
    head = message.split(b"\r\n\r\n", 1)[0]
    return [line for line in head.split(b"\r\n") if line and line[:1] not in (b" ", b"\t")]

"""Helpers shared by the test modules."""

import base64
import functools
import json
import os
from pathlib import Path

import pytest

# Under CI nothing may hide: a missing Chromium, Redis or ../shared corpus fails the run.
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_part(reason):
    """Skips the current test for a missing part of the machine, or fails it under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing part fails the run)", pytrace=False)
    pytest.skip(reason)


# --- DNS for inbound mail authentication --------------------------------------------------
# No test asks a real DNS server. GOINGSOLO_MAIL_DNS_RESOLVER names `dns_from_file`, which
# serves the records of a JSON file named by $GOINGSOLO_TEST_DNS_RECORDS, so that processes
# a test starts (a listener, a worker: with `LocalDNS.environment()`) see the same records
# as the test itself:
#     {"example.org": {"TXT": ["v=spf1 ip4:192.0.2.1 -all"]}, "x._domainkey.example.org":
#      {"TXT": "timeout"}}
# A type's value "timeout" makes the look-up time out.

DNS_RECORDS_VARIABLE = "GOINGSOLO_TEST_DNS_RECORDS"
DNS_RESOLVER = "tests.support.dns_from_file"


def dns_from_file(name, rdtype):
    """The test resolver: GOINGSOLO_MAIL_DNS_RESOLVER's signature, records from the file."""
    path = os.environ.get(DNS_RECORDS_VARIABLE)
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        records = json.load(file)
    values = records.get(name.rstrip(".").lower(), {}).get(rdtype.upper(), [])
    if values == "timeout":
        raise TimeoutError(f"DNS look-up of {name} {rdtype} timed out")
    return list(values)


class LocalDNS:
    """The records `dns_from_file` serves; each change is written to the file at once."""

    def __init__(self, path):
        self.path = str(path)

    @classmethod
    def current(cls):
        """The records of the running test (the file its environment names)."""
        return cls(os.environ[DNS_RECORDS_VARIABLE])

    def _read(self):
        if not os.path.exists(self.path):
            return {}
        with open(self.path, encoding="utf-8") as file:
            return json.load(file)

    def set(self, name, rdtype, values):
        """NAME's records of RDTYPE are now VALUES (a list, or "timeout")."""
        records = self._read()
        records.setdefault(name.rstrip(".").lower(), {})[rdtype.upper()] = values
        with open(self.path, "w", encoding="utf-8") as file:
            json.dump(records, file)

    def add(self, name, rdtype, value):
        records = self._read().get(name.rstrip(".").lower(), {}).get(rdtype.upper(), [])
        self.set(name, rdtype, [*records, value] if isinstance(records, list) else [value])

    def time_out(self, name, rdtype="TXT"):
        self.set(name, rdtype, "timeout")

    def environment(self):
        """What a process started by the test needs in its environment to resolve with
        these records (the tests package importable, whatever its working folder)."""
        root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH", "")]))
        return {
            DNS_RECORDS_VARIABLE: self.path,
            "GOINGSOLO_MAIL_DNS_RESOLVER": DNS_RESOLVER,
            "PYTHONPATH": path,
        }


@functools.cache
def dkim_test_key():
    """(private key in PKCS#1 PEM, public key as DKIM's p= base64) for signing test mail."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, base64.b64encode(public).decode("ascii")


def dkim_sign(raw, *, domain, selector="mail", publish=True, headers=None, **options):
    """RAW (bytes) with a DKIM-Signature of DOMAIN, as its mail provider would send it;
    PUBLISH: serve the key's record to the running test's resolver."""
    import dkim

    private, public = dkim_test_key()
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    signature = dkim.sign(
        raw,
        selector.encode(),
        domain.encode(),
        private,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=headers or [b"from", b"to", b"subject", b"date", b"message-id"],
        **options,
    )
    if publish:
        LocalDNS.current().set(
            f"{selector}._domainkey.{domain}", "TXT", [f"v=DKIM1; k=rsa; p={public}"]
        )
    return signature + raw

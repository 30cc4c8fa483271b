"""Helpers shared by the test modules."""

import base64
import functools
import http.server
import json
import os
import threading
from pathlib import Path

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

# Under CI nothing may hide: a missing Chromium, Redis or ../shared corpus fails the run.
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_part(reason):
    """Skips the current test for a missing part of the machine, or fails it under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing part fails the run)", pytrace=False)
    pytest.skip(reason)


class FakePushService:
    """A push service at its HTTP boundary: a real HTTP server on a free local port, in a
    thread, that records each request (path, headers, body) and answers with the next
    status of `answers` (then 201, as a push service does for a message it accepted)."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.headers_to_send = {}
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append(
                    {
                        "path": self.path,
                        # Header names are case-insensitive: kept in lower case.
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                status = service.answers.pop(0) if service.answers else 201
                self.send_response(status)
                for name, value in service.headers_to_send.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class BrowserSubscription:
    """What a browser makes when it subscribes to Web Push: an ECDH P-256 key pair and a
    16-byte authentication secret, for an endpoint on its push service. `as_json()` is
    `PushSubscription.toJSON()`; `decrypt()` reads a message as the browser would."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = _b64url(point)
        self.auth = _b64url(self.auth_secret)

    def as_json(self):
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def decrypt(self, body):
        plain = http_ece.decrypt(
            body,
            version="aes128gcm",
            private_key=self.private_key,
            auth_secret=self.auth_secret,
        )
        return json.loads(plain)


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


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

"""Helpers shared by the test modules."""

import base64
import http.server
import json
import os
import threading

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

"""A real SMTP server for the outbound tests, and small helpers around it."""

import asyncio
import socket
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Received:
    def __init__(self, envelope):
        self.mail_from = envelope.mail_from
        self.rcpt_tos = list(envelope.rcpt_tos)
        self.raw = envelope.original_content or envelope.content
        self.message = message_from_bytes(self.raw, policy=policy.default)

    def __getitem__(self, name):
        return self.message[name]

    @property
    def to(self):
        return self.rcpt_tos[0]

    def text(self):
        return self.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    def html(self):
        return self.message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")


class SmtpSink:
    """Keeps what it receives. REPLIES: answers to give to the next DATA commands instead of
    250 ("451 …"); REPLIES_TO: the same for messages to one address; HOLD: seconds each DATA waits before it is accepted. A message counts as
    received only once the 250 is about to go out: a client that disconnects while its DATA
    is held (killed) delivered nothing, as with a real server."""

    def __init__(self, hold=0.0):
        self.received = []
        self.replies = []
        self.replies_to = {}
        self.hold = hold
        self.holding = threading.Event()
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for_address = self.replies_to.get(envelope.rcpt_tos[0])
            if for_address:
                reply = for_address.pop(0)
            else:
                reply = self.replies.pop(0) if self.replies else None
        if reply:
            return reply
        if self.hold:
            self.holding.set()
            try:
                await asyncio.sleep(self.hold)
            finally:
                self.holding.clear()
        with self.lock:
            self.received.append(Received(envelope))
        return "250 OK"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def to(self, address):
        with self.lock:
            return [item for item in self.received if address in item.rcpt_tos]

    def one_to(self, address):
        found = self.to(address)
        assert len(found) == 1, f"{len(found)} messages to {address}"
        return found[0]

    def wait_for_count(self, count, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return
            time.sleep(0.02)
        raise AssertionError(f"{len(self.received)} messages arrived, not {count}")


def use_sink(settings, sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def sink_fixture():
    @pytest.fixture
    def sink(settings):
        server = SmtpSink()
        server.start()
        use_sink(settings, server)
        yield server
        server.stop()

    return sink

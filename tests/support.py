"""Helpers shared by the test modules."""

import asyncio
import base64
import functools
import http.server
import importlib
import inspect
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import dkim
import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django import forms
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.base import TaskContext
from django_tasks.signals import task_enqueued
from playwright.sync_api import expect

from goingsolo.mail.outbound import delivery
from tests.factories import PASSWORD

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
# A type's value "timeout" makes the look-up time out; "hang" makes it wait until the
# record is changed (a process stuck in a look-up, for as long as the test wants).

DNS_RECORDS_VARIABLE = "GOINGSOLO_TEST_DNS_RECORDS"
DNS_RESOLVER = "tests.support.dns_from_file"


def dns_from_file(name, rdtype):
    """The test resolver: GOINGSOLO_MAIL_DNS_RESOLVER's signature, records from the file."""
    path = os.environ.get(DNS_RECORDS_VARIABLE)
    if not path:
        return []
    while True:
        records = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as file:
                text = file.read()
            # Another process may be writing the file: an empty or partial read waits.
            try:
                records = json.loads(text) if text else {}
            except json.JSONDecodeError:
                time.sleep(0.02)
                continue
        values = records.get(name.rstrip(".").lower(), {}).get(rdtype.upper(), [])
        if values != "hang":
            break
        time.sleep(0.05)
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
        """NAME's records of RDTYPE are now VALUES (a list, "timeout" or "hang")."""
        records = self._read()
        records.setdefault(name.rstrip(".").lower(), {})[rdtype.upper()] = values
        # Written aside, then renamed: a process reading meanwhile sees the old or the new.
        partial = f"{self.path}.partial"
        with open(partial, "w", encoding="utf-8") as file:
            json.dump(records, file)
        os.replace(partial, self.path)

    def add(self, name, rdtype, value):
        records = self._read().get(name.rstrip(".").lower(), {}).get(rdtype.upper(), [])
        self.set(name, rdtype, [*records, value] if isinstance(records, list) else [value])

    def time_out(self, name, rdtype="TXT"):
        self.set(name, rdtype, "timeout")

    def hang(self, name, rdtype="TXT"):
        """Look-ups of NAME wait until its records are set again."""
        self.set(name, rdtype, "hang")

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


# --- A real SMTP server ---------------------------------------------------------------------


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

    def first_link(self, pattern):
        """The first match of PATTERN (a link, say) in the text part."""
        found = re.search(pattern, self.text())
        assert found, self.text()
        return found.group(0)


class SmtpSink:
    """Keeps what it receives. REPLIES: answers to give to the next DATA commands instead of
    250 ("451 …"); REPLIES_TO: the same for messages to one address; REFUSING: while set,
    the answer every DATA gets ("451 …"), each refusal kept in `refused`; HOLD: seconds
    each DATA waits before it is accepted. A message counts as received only once the 250 is about to
    go out: a client that disconnects while its DATA is held (killed) delivered nothing, as
    with a real server. Until `start()` nothing listens on its port: a server that is down.
    """

    def __init__(self, hold=0.0):
        self.received = []
        self.replies = []
        self.replies_to = {}
        self.refusing = None
        self.refused = []
        self.hold = hold
        self.holding = threading.Event()
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.running = False

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for_address = self.replies_to.get(envelope.rcpt_tos[0])
            if for_address:
                reply = for_address.pop(0)
            else:
                reply = self.replies.pop(0) if self.replies else None
            reply = reply or self.refusing
            if reply:
                self.refused.append(list(envelope.rcpt_tos))
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
        self.running = True

    def stop(self):
        if self.running:
            self.controller.stop()
            self.running = False

    def to(self, address):
        with self.lock:
            return [item for item in self.received if address in item.rcpt_tos]

    def one_to(self, address):
        found = self.to(address)
        assert len(found) == 1, f"{len(found)} messages to {address}"
        return found[0]

    def wait_for(self, to, subject_contains="", timeout=15):
        """The first message to TO whose subject contains SUBJECT_CONTAINS, once arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for item in self.received:
                    if to in item.rcpt_tos and subject_contains in str(item["Subject"]):
                        return item
            time.sleep(0.1)
        raise AssertionError(f"No email to {to} with {subject_contains!r} in its subject arrived.")

    def wait_for_count(self, count, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return
            time.sleep(0.02)
        raise AssertionError(f"{len(self.received)} messages arrived, not {count}")


def use_sink(settings, sink):
    """SINK becomes the transport the outbound queue's worker sends with."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def sink_fixture(started=True):
    """A fixture giving an SmtpSink that the worker sends to; STARTED=False gives one that
    is down until the test starts it."""

    @pytest.fixture
    def sink(settings):
        server = SmtpSink()
        if started:
            server.start()
        use_sink(settings, server)
        yield server
        server.stop()

    return sink


# --- Processes the test starts --------------------------------------------------------------

# What configures the test process's own instance; a process started as an instance of its
# own must not inherit it.
INSTANCE_VARIABLES = ("DATABASE_URL", "GOINGSOLO_", "PYTEST", "DJANGO_")


def environment_of_an_instance(leave_out=()):
    """This process's environment without the variables that configure its instance
    (INSTANCE_VARIABLES, and those starting with a prefix of LEAVE_OUT): the start of the
    environment of a process that runs an instance of its own."""
    prefixes = INSTANCE_VARIABLES + tuple(leave_out)
    return {name: value for name, value in os.environ.items() if not name.startswith(prefixes)}


def run_python(code, *, leave_out=(), **variables):
    """Runs CODE in a Python process of its own, in the repository, with
    `environment_of_an_instance(LEAVE_OUT)` and VARIABLES; its output is text."""
    environment = environment_of_an_instance(leave_out)
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def database_url_for_processes():
    """The test database as a DATABASE_URL for processes the test starts (a worker, a
    command): they see what a transactional test (`django_db(transaction=True)`) has
    committed, and the test sees what they write. SQLite's test database is a file
    (config/settings.py), which the processes open beside the test."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    return (
        f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )


# --- Browser pages --------------------------------------------------------------------------


def log_in(page, base, email, password=PASSWORD):
    """Logs EMAIL in on the site at BASE through its login form, as a person would, and
    waits until the site has let them in (the browser has left the login page)."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def send_reply(page, position):
    """Sends the reply form of the thread open in PAGE and waits until the form's answer has
    settled: the post at POSITION marked just posted (discussions.js, after htmx's settle) and
    the textarea empty. The post can arrive first by its live event, and the fresh form is
    swapped in 20 ms before the settle moves the focus to the new post: text typed in between
    goes nowhere."""
    page.locator("#reply button[type=submit]").click()
    expect(page.locator(f"#post-{position}")).to_have_class(re.compile(r"\bjust-posted\b"))
    expect(page.locator("#reply textarea[name=body]")).to_have_value("")


# --- Jobs -----------------------------------------------------------------------------------


@contextmanager
def recorded_jobs():
    """Collects the jobs (TaskResults) enqueued inside the block."""
    jobs = []

    def record(sender, task_result, **kwargs):
        jobs.append(task_result)

    task_enqueued.connect(record, weak=False)
    try:
        yield jobs
    finally:
        task_enqueued.disconnect(record)


def run_again(job):
    """Runs JOB (a TaskResult) once more, as a worker retrying it after a crash would: the
    same job, with its id and its arguments."""
    task = job.task
    if task.takes_context:
        return task.call(TaskContext(task_result=job), *job.args, **job.kwargs)
    return task.call(*job.args, **job.kwargs)


def deliver_after_outage(sink, minutes=5):
    """Brings SINK (a server that was down) up, and sends what is queued as the worker
    would once the retry delay has passed. Returns delivery's report."""
    sink.start()
    return delivery.send_due(now=timezone.now() + timedelta(minutes=minutes))


def count_queries(client, url):
    """How many queries a GET of URL runs; it must answer 200."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def query_counts(client, url, make, *, small=1, large=3, before=None):
    """The query counts of URL after making SMALL rows with MAKE, then LARGE rows.

    Compare them with literals, as in `assert query_counts(...) == (9, 9)`: a page whose
    count does not grow but is far too high fails too. BEFORE runs before each count (to
    reset what a visit changes)."""
    counts = []
    for new_rows in (small, large - small):
        for _ in range(new_rows):
            make()
        if before is not None:
            before()
        counts.append(count_queries(client, url))
    return tuple(counts)


def project_forms():
    """Every form class the apps define (in their forms.py or forms_*.py)."""
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("goingsolo."):
            continue
        for module_name in ("forms", "forms_inbound", "forms_outbound"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            found.update(
                cls
                for _name, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
            )
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")

"""Live updates between separate processes, in every topology.

Web processes are started as `goingsolo serve` starts them (uvicorn), on the test's
database; a raw server-sent events client holds a thread's events URL open on each; the
post is written by another process: a `goingsolo shell`, or the worker processing a reply
by email. Each reader must hear it within a second of its publication. The event id is
the publication's time in milliseconds on the topology's clock (the database's or
Redis's, on this machine), which is what the delay is measured from.

Topologies: the suite's database alone (SQLite: the embedded run; PostgreSQL without
Redis), and Redis beside it.
"""

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis
from django.conf import settings

from goingsolo.discussions.services import thread_start
from goingsolo.groups.models import Visibility
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.reply_tokens import reply_address
from tests.factories import GroupFactory, member_of
from tests.mail.inbound_support import plain_message, signed_by_sender
from tests.support import (
    database_url_for_processes,
    environment_of_an_instance,
    free_port,
    missing_part,
)

ROOT = Path(__file__).resolve().parents[2]
GOINGSOLO = Path(sys.executable).parent / "goingsolo"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
# Generous: processes start slowly on a loaded machine. The delay asked for is below.
START_TIMEOUT = 90
DELIVERY_MS = 1000

pytestmark = pytest.mark.django_db(transaction=True)


def redis_url():
    """REDIS_URL on a database of its own (of 1–15): another suite's processes, using the
    same channel names on the same server, stay out of this test's streams."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        missing_part(f"no Redis at {REDIS_URL}")
    return f"{REDIS_URL.rsplit('/', 1)[0]}/{random.randint(1, 15)}"


class Instance:
    """Processes of one instance (one topology) on the test's database; all stopped at
    the end of the test. Their output goes to files under the test's folder."""

    def __init__(self, folder, redis=None, extra=None):
        self.folder = folder
        self.processes = []
        env = environment_of_an_instance(leave_out=("REDIS_URL",))
        env.update(
            DATABASE_URL=database_url_for_processes(),
            GOINGSOLO_DATA_DIR=str(folder / "data"),
            GOINGSOLO_MAIL_DOMAIN=settings.GOINGSOLO_MAIL_DOMAIN,
            SECRET_KEY=settings.SECRET_KEY,
            LOG_LEVEL="WARNING",
            **(extra or {}),
        )
        if redis:
            env["REDIS_URL"] = redis
        self.env = env

    def start(self, name, *arguments):
        log = open(self.folder / f"{name}.log", "w")  # closed in stop()
        process = subprocess.Popen(
            [str(GOINGSOLO), *arguments],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append((name, process, log))
        return process

    def web(self):
        """Starts a web process; returns its address (wait for it with `wait_healthy`)."""
        port = free_port()
        self.start(f"web-{port}", "serve", "--port", str(port))
        return f"http://127.0.0.1:{port}"

    def wait_healthy(self, *addresses):
        deadline = time.monotonic() + START_TIMEOUT
        for address in addresses:
            while True:
                self.check_running()
                try:
                    with urllib.request.urlopen(f"{address}/healthz", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"{address} did not start\n{self.output()}"
                time.sleep(0.2)

    def shell(self, code, timeout=START_TIMEOUT):
        """Runs CODE in a `goingsolo shell` of this instance; returns what it printed."""
        finished = subprocess.run(
            [str(GOINGSOLO), "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert finished.returncode == 0, finished.stderr
        return finished.stdout

    def check_running(self):
        for name, process, _log in self.processes:
            assert process.poll() is None, f"{name} stopped\n{self.output()}"

    def output(self):
        return "\n".join(
            f"--- {name}\n{(self.folder / f'{name}.log').read_text()}"
            for name, _process, _log in self.processes
        )

    def stop(self):
        for _name, process, _log in self.processes:
            if process.poll() is None:
                process.terminate()
        for _name, process, log in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@pytest.fixture
def instance(tmp_path):
    """Starts processes with `instance(redis=…)`; stops them all after the test."""
    started = []

    def make(**options):
        started.append(Instance(tmp_path, **options))
        return started[-1]

    yield make
    for each in started:
        each.stop()


class EventStream:
    """A raw SSE client: one GET held open, its frames read by a thread, each noted with
    the time (milliseconds) its last line arrived."""

    def __init__(self, url):
        address = urlparse(url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        self.connection.request("GET", address.path, headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        assert self.response.status == 200, self.response.read()
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        self.frames = []
        self.arrived = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        fields = {}
        try:
            while line := self.response.readline():
                line = line.decode().rstrip("\r\n")
                if line:
                    if not line.startswith(":"):  # a comment: the heartbeat
                        name, _, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
                    continue
                if fields:
                    with self.arrived:
                        self.frames.append((time.time() * 1000, fields))
                        self.arrived.notify_all()
                    fields = {}
        except (OSError, ValueError, http.client.HTTPException):
            pass  # closed at the end of the test

    def wait_for(self, matches, timeout):
        """The first frame (arrival time, fields) for which MATCHES(fields) is true."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for arrived, fields in self.frames:
                    if matches(fields):
                        return arrived, fields
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no such frame among {self.frames}"
                self.arrived.wait(remaining)

    def wait_subscribed(self, timeout=30):
        # "retry:" is sent once the stream is subscribed: what is published after is heard.
        self.wait_for(lambda fields: "retry" in fields, timeout)

    def close(self):
        # The reader sees the end of the stream and stops; then the connection is closed.
        self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.reader.join(timeout=10)
        self.connection.close()


@pytest.fixture
def streams():
    opened = []

    def open_stream(url):
        opened.append(EventStream(url))
        return opened[-1]

    yield open_stream
    for stream in opened:
        stream.close()


def public_thread():
    """A thread of a public group: its events URL needs no login."""
    group = GroupFactory(slug=f"live-{uuid.uuid4().hex[:12]}", visibility=Visibility.PUBLIC)
    author = member_of(group)
    thread = thread_start(group=group, author=author, title="Live", body="Hello", language="en")
    return thread.post.thread, author


def events_url(address, thread):
    return f"{address}/g/{thread.group.slug}/t/{thread.pk}/events/"


def post_created(position):
    def matches(fields):
        return (
            fields.get("event") == "post.created"
            and json.loads(fields["data"])["dom_id"] == f"post-{position}"
        )

    return matches


def assert_heard_in_time(stream, position, timeout=30):
    """The post's event reached STREAM within DELIVERY_MS of its publication; its id."""
    arrived, fields = stream.wait_for(post_created(position), timeout)
    delay = arrived - int(fields["id"])
    assert delay < DELIVERY_MS, f"heard {delay:.0f} ms after its publication"
    return fields["id"]


@pytest.mark.parametrize("topology", ["database", "redis"])
def test_a_reply_written_by_another_process_reaches_readers_of_two_web_processes(
    instance, streams, topology
):
    thread, author = public_thread()
    processes = instance(redis=redis_url() if topology == "redis" else None)
    first, second = processes.web(), processes.web()
    processes.wait_healthy(first, second)
    readers = [streams(events_url(first, thread)), streams(events_url(second, thread))]
    for reader in readers:
        reader.wait_subscribed()

    # As the web (a form) or the worker (a reply by email) would: the service, in a
    # process of its own, which publishes once its transaction commits.
    processes.shell(
        "from django.contrib.auth import get_user_model\n"
        "from goingsolo.discussions.models import Thread\n"
        "from goingsolo.discussions.services import post_reply\n"
        f"post_reply(thread=Thread.objects.get(pk={thread.pk}),"
        f" author=get_user_model().objects.get(pk={author.pk}),"
        " body='Written by another process', language='en')\n"
    )

    ids = {assert_heard_in_time(reader, position=2) for reader in readers}
    assert len(ids) == 1  # the same event, with the same id, in both processes
    processes.check_running()


def test_a_reply_by_email_processed_by_the_worker_reaches_an_open_thread_page(
    instance, streams, settings, local_dns
):
    # The embedded run's case: web and worker are separate processes, without Redis.
    thread, _author = public_thread()
    marie = member_of(thread.group, email="marie@example.org", display_name="Marie Dupont")
    processes = instance(extra=local_dns.environment())
    address = processes.web()
    processes.start("worker", "worker")
    processes.wait_healthy(address)
    reader = streams(events_url(address, thread))
    reader.wait_subscribed()

    # As the mail listener stores it: the message, and its job in the database's queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    to = reply_address(thread, marie)
    message = plain_message(sender=marie.email, to=to, subject="Re: Live", body="Je viens !")
    inbound_store(raw=signed_by_sender(message.as_bytes()), mail_from=marie.email, recipients=[to])

    assert_heard_in_time(reader, position=2, timeout=START_TIMEOUT)
    assert thread.posts.get(position=2).author == marie
    processes.check_running()

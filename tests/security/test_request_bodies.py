"""Request bodies over GOINGSOLO_MAX_REQUEST_BYTES are refused before they are read: by
the test client (Django's middleware), by the ASGI application in the test process, and
by a real `goingsolo serve` over a socket."""

import asyncio
import select
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from config.asgi import application
from goingsolo.discussions.models import Thread
from goingsolo.events.forms import SLIDES_MAX_BYTES
from tests.factories import GroupFactory, member_of
from tests.support import environment_of_an_instance, free_port

ROOT = Path(__file__).resolve().parents[2]
GOINGSOLO = Path(sys.executable).parent / "goingsolo"
MB = 1024 * 1024


def test_the_cap_is_above_every_upload_the_site_allows():
    largest = max(
        SLIDES_MAX_BYTES,
        settings.GOINGSOLO_AVATAR_MAX_BYTES,
        settings.GOINGSOLO_ATTACHMENT_MAX_BYTES,
        settings.GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES,
    )
    assert largest < settings.GOINGSOLO_MAX_REQUEST_BYTES <= largest + 2 * MB


@pytest.mark.django_db
def test_a_200_mb_attachment_is_refused_at_once_in_the_members_language(client):
    group = GroupFactory()
    client.force_login(member_of(group, language="fr"))
    # The declared length is enough: Django would fail the test reading past the 10 bytes
    # actually given (FakePayload), so the body is never read.
    response = client.post(
        reverse("discussions:thread_create", args=[group.slug]),
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=never-read",
        CONTENT_LENGTH=str(200 * MB),
        HTTP_REFERER=f"http://testserver/g/{group.slug}/t/new/",
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Ce que vous avez envoyé est trop volumineux" in page
    assert "au plus 51,0\xa0Mio" in page
    assert f'href="http://testserver/g/{group.slug}/t/new/"' in page, "the way back to the form"
    assert not Thread.objects.exists()


@pytest.mark.django_db
def test_a_body_under_the_cap_reaches_the_view(client, settings):
    settings.GOINGSOLO_MAX_REQUEST_BYTES = 2 * MB
    response = client.generic("GET", "/no-such-page/", b"x" * MB)
    assert response.status_code == 404


class ASGIRequest:
    """A POST to the ASGI application (config/asgi.py), fed by the test: what the
    application asked for and what it answered."""

    def __init__(self, *, declared=None, path="/no-such-page/"):
        headers = [(b"host", b"testserver"), (b"accept-language", b"en")]
        if declared is not None:
            headers.append((b"content-length", str(declared).encode()))
        else:
            headers.append((b"transfer-encoding", b"chunked"))
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 40000),
            "server": ("testserver", 80),
        }
        self.chunks_read = 0
        self.sent = []

    async def run(self, chunks):
        """Runs the application on CHUNKS (bytes, the last one ends the body)."""
        chunks = list(chunks)

        async def receive():
            if self.chunks_read < len(chunks):
                self.chunks_read += 1
                more = self.chunks_read < len(chunks)
                return {
                    "type": "http.request",
                    "body": chunks[self.chunks_read - 1],
                    "more_body": more,
                }
            await asyncio.Event().wait()  # the client stays connected

        async def send(message):
            self.sent.append(message)

        await asyncio.wait_for(application(self.scope, receive, send), 30)
        start = self.sent[0]
        self.status = start["status"]
        self.headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        self.body = b"".join(m.get("body", b"") for m in self.sent[1:]).decode()


def test_a_declared_body_over_the_cap_is_not_read_by_the_application(settings):
    settings.GOINGSOLO_MAX_REQUEST_BYTES = MB
    request = ASGIRequest(declared=200 * MB)
    asyncio.run(request.run([b"x" * 65536] * 10))
    assert request.chunks_read == 0
    assert request.status == 413
    assert request.headers["connection"] == "close", "not kept open to read the rest"
    assert "What you sent is too large" in request.body


def test_an_undeclared_body_is_read_no_further_than_the_cap(settings):
    settings.GOINGSOLO_MAX_REQUEST_BYTES = MB
    chunk = 64 * 1024
    request = ASGIRequest()
    asyncio.run(request.run([b"x" * chunk] * 1000))  # 64 MB if it were all read
    assert request.chunks_read == MB // chunk + 1
    assert request.status == 413
    assert request.headers["connection"] == "close"


def test_an_undeclared_body_under_the_cap_reaches_django_whole(settings):
    settings.GOINGSOLO_MAX_REQUEST_BYTES = MB
    request = ASGIRequest()
    asyncio.run(request.run([b"x" * 1000] * 10))
    assert request.chunks_read == 10, "the whole body"
    assert request.status == 404
    assert "connection" not in request.headers


# --- Through a real `goingsolo serve` -------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`goingsolo serve` on a database and static files of its own, with a cap of 1 MB."""
    data = tmp_path_factory.mktemp("served")
    port = free_port()
    env = environment_of_an_instance()
    env.update(
        GOINGSOLO_DATA_DIR=str(data),
        GOINGSOLO_MAX_REQUEST_BYTES=str(MB),
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
    )
    for command in (["migrate"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [str(GOINGSOLO), *command, "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
    server = subprocess.Popen(
        [str(GOINGSOLO), "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def request_head(port, headers):
    lines = ["POST /accounts/signup/ HTTP/1.1", f"Host: 127.0.0.1:{port}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_response(conn):
    """The whole response: the server closes the connection after it."""
    conn.settimeout(10)
    received = b""
    try:
        while chunk := conn.recv(65536):
            received += chunk
    except ConnectionResetError:
        # Closed with body bytes still unread: the kernel resets the connection, after
        # the answer already received.
        pass
    head, _, body = received.partition(b"\r\n\r\n")
    return head.decode("latin-1"), body.decode()


def test_the_server_answers_a_declared_200_mb_body_before_it_is_sent(served):
    with socket.create_connection(("127.0.0.1", served), timeout=10) as conn:
        conn.sendall(
            request_head(
                served,
                [
                    "Content-Type: multipart/form-data; boundary=x",
                    f"Content-Length: {200 * MB}",
                    "Accept-Language: fr",
                ],
            )
        )
        # Not one byte of the body sent: the answer comes anyway.
        head, body = read_response(conn)
    assert head.startswith("HTTP/1.1 413 ")
    assert "connection: close" in head.lower()
    assert "Ce que vous avez envoyé est trop volumineux" in body


def test_the_server_stops_reading_a_chunked_body_past_the_cap(served):
    chunk = b"x" * (64 * 1024)
    sent = 0
    with socket.create_connection(("127.0.0.1", served), timeout=10) as conn:
        conn.sendall(request_head(served, ["Transfer-Encoding: chunked"]))
        while sent < 100 * MB:
            readable, _, _ = select.select([conn], [], [], 0.02)
            if readable:
                break
            try:
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break  # closed after its answer, or no longer read: the answer is coming
            sent += len(chunk)
        head, body = read_response(conn)
    assert head.startswith("HTTP/1.1 413 ")
    assert "What you sent is too large" in body
    # The server read 1 MB; what the two kernels buffer besides is a few MB at most.
    assert MB < sent < 20 * MB, f"{sent} bytes sent before the answer"

"""Live updates: publish on a channel, hear it in this process or another, over SSE.

Every test uses channels (and, for Redis backends made here, a namespace) of its own, so
parallel runs and other users of the same Redis do not interfere.
"""

import asyncio
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import redis
from django.core.asgi import get_asgi_application
from django.db import connections

from goingsolo.core import live
from goingsolo.core.live import LocalBackend, RedisBackend
from tests.core import live_urls
from tests.support import IN_CI

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
TIMEOUT = 3


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


# Under CI a missing Redis is not skipped: the tests run and fail.
needs_redis = pytest.mark.skipif(
    not IN_CI and not redis_available(), reason=f"no Redis at {REDIS_URL}"
)


def unique(prefix="thread"):
    return f"{prefix}:{uuid.uuid4().hex}"


def run(coroutine):
    """Runs a test's coroutine, failing instead of hanging."""
    return asyncio.run(asyncio.wait_for(coroutine, timeout=10))


async def next_event(events):
    return await asyncio.wait_for(anext(events), TIMEOUT)


def redis_backend(**kwargs):
    backend = RedisBackend(REDIS_URL, **{"namespace": unique("test-live"), **kwargs})
    backend.last_id_ttl = 60  # what the tests leave in Redis goes soon
    return backend


@pytest.fixture(params=["local", pytest.param("redis", marks=needs_redis)])
def backend(request):
    if request.param == "local":
        return LocalBackend()
    return redis_backend()


# --- Backends -----------------------------------------------------------------------------


def test_a_published_event_reaches_the_subscribers_of_its_channel_only(backend):
    channel, other = unique(), unique()

    async def scenario():
        async with backend.subscribe([channel]) as events, backend.subscribe([other]) as others:
            backend.publish(channel, "post.created", {"post": 1})
            backend.publish(other, "post.created", {"post": 2})
            assert await next_event(events) == (channel, "post.created", {"post": 1})
            assert await next_event(others) == (other, "post.created", {"post": 2})
            assert events.last_id is not None
        await backend.aclose()

    run(scenario())


def test_an_event_published_from_another_thread_is_heard(backend):
    channel = unique()

    async def scenario():
        async with backend.subscribe([channel, unique("group")]) as events:
            # As a sync view or a job does: publish from a thread of its own.
            publisher = threading.Thread(
                target=backend.publish, args=(channel, "post.created", {"body": "Salut"})
            )
            publisher.start()
            assert await next_event(events) == (channel, "post.created", {"body": "Salut"})
            publisher.join()
        await backend.aclose()

    run(scenario())


def test_a_slow_subscriber_drops_events_and_is_told_to_resync(backend):
    channel = unique()

    async def scenario():
        marker = unique()
        async with (
            backend.subscribe([channel], maxsize=3) as events,
            backend.subscribe([marker]) as markers,
        ):
            for number in range(10):
                backend.publish(channel, "post.created", {"n": number})
            # Events arrive in order: once the marker is in, all ten have been handed over.
            backend.publish(marker, "marker", {})
            await next_event(markers)
            received = [await next_event(events) for _ in range(4)]
            # Nothing more is held: the other six were dropped, not queued.
            backend.publish(channel, "post.created", {"n": 10})
            after = await next_event(events)
        await backend.aclose()
        return received, after

    received, after = run(scenario())
    assert [data for _, _, data in received[:3]] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert received[3] == (channel, "resync", {"channel": channel})
    assert after == (channel, "post.created", {"n": 10})


def test_leaving_a_subscription_releases_it(backend):
    channel = unique()

    async def scenario():
        async with backend.subscribe([channel]):
            assert backend.local_subscriber_count(channel) == 1
        assert backend.local_subscriber_count(channel) == 0
        await backend.aclose()

    run(scenario())


def test_an_id_taken_for_a_page_tells_whether_a_channel_had_events_since():
    backend = LocalBackend()
    quiet, busy = unique(), unique()
    since = int(backend.current_id())
    backend.publish(busy, "post.created", {})
    assert run(backend.missed([quiet, busy], since)) == [busy]


def test_bad_names_and_data_are_refused_at_publication():
    backend = LocalBackend()
    with pytest.raises(ValueError):
        backend.publish("thread 42\nevent: x", "post.created", {})
    with pytest.raises(ValueError):
        backend.publish("thread:42", "post\ncreated", {})
    with pytest.raises(TypeError):
        backend.publish("thread:42", "post.created", ["not", "a", "dict"])
    with pytest.raises(TypeError):
        backend.publish("thread:42", "post.created", {"not json": object()})


# --- Redis between processes ------------------------------------------------------------


@needs_redis
def test_an_event_published_by_another_process_is_heard(tmp_path, settings):
    settings.REDIS_URL = REDIS_URL
    channel = unique()
    code = (
        "import sys, django; django.setup(); from goingsolo.core import live; "
        "print(live.publish(sys.argv[1], 'post.created', {'via': 'mail'}))"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GOINGSOLO_DATA_DIR": str(tmp_path),
        "REDIS_URL": REDIS_URL,
    }

    async def scenario():
        async with live.subscribe([channel]) as events:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", code, channel, cwd=ROOT, env=environment,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            out, err = await asyncio.wait_for(process.communicate(), 60)
            assert process.returncode == 0, err.decode()
            event = await next_event(events)
            assert events.last_id == out.decode().strip()
        await live.get_backend().aclose()
        return event

    assert run(scenario()) == (channel, "post.created", {"via": "mail"})


@needs_redis
def test_the_subscriptions_of_a_process_share_one_redis_subscription():
    backend = redis_backend()
    observer = redis.Redis.from_url(REDIS_URL)
    channel = unique()

    async def scenario():
        async with (
            backend.subscribe([channel]) as first,
            backend.subscribe([channel]) as second,
            backend.subscribe([channel, unique()]) as third,
        ):
            [(_, listeners)] = observer.pubsub_numsub(backend._channel_key(channel))
            assert listeners == 1
            backend.publish(channel, "thread.created", {"thread": 7})
            for events in (first, second, third):
                assert await next_event(events) == (channel, "thread.created", {"thread": 7})
        # The connection is closed; Redis notices a moment later.
        async with asyncio.timeout(TIMEOUT):
            while observer.pubsub_numsub(backend._channel_key(channel))[0][1]:
                await asyncio.sleep(0.01)
        await backend.aclose()

    run(scenario())


@needs_redis
def test_when_the_redis_connection_is_lost_subscribers_resync_and_stop():
    backend = redis_backend()
    admin = redis.Redis.from_url(REDIS_URL)
    channel = unique()

    async def scenario():
        async with backend.subscribe([channel]) as events:
            name = f"{backend.namespace}:listener"
            for client in admin.client_list():
                if client["name"] == name and "subscribe" in client["cmd"]:
                    admin.client_kill_filter(_id=client["id"])
            assert await next_event(events) == (channel, "resync", {"channel": channel})
            with pytest.raises(StopAsyncIteration):
                await next_event(events)
        # The next subscription connects again.
        async with backend.subscribe([channel]) as events:
            backend.publish(channel, "post.created", {})
            assert await next_event(events) == (channel, "post.created", {})
        await backend.aclose()

    run(scenario())


def test_publishing_while_redis_is_down_is_logged_not_raised(caplog):
    backend = RedisBackend("redis://127.0.0.1:1/0")
    assert backend.publish(unique(), "post.created", {}) is None
    assert "could not publish" in caplog.text


# --- Server-sent events -------------------------------------------------------------------


class Stream:
    """A GET request to the ASGI application, read while it streams."""

    def __init__(self, path, headers=()):
        path, _, query = path.partition("?")
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"testserver"), *headers],
            "client": ("127.0.0.1", 40000),
            "server": ("testserver", 80),
        }
        self.inbox = asyncio.Queue()
        self.outbox = asyncio.Queue()
        self.status = None
        self.headers = {}
        self.body = ""
        self.ended = False

    async def __aenter__(self):
        await self.inbox.put({"type": "http.request", "body": b"", "more_body": False})
        self.task = asyncio.create_task(
            get_asgi_application()(self.scope, self.inbox.get, self.outbox.put)
        )
        message = await asyncio.wait_for(self.outbox.get(), TIMEOUT)
        self.status = message["status"]
        self.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        return self

    async def __aexit__(self, *exc_info):
        await self.inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(self.task, TIMEOUT)

    async def read_until(self, text=None):
        """Reads until TEXT is in the body, or with no TEXT until the response ends."""
        async with asyncio.timeout(TIMEOUT):
            while (text is None or text not in self.body) and not self.ended:
                message = await self.outbox.get()
                self.body += message.get("body", b"").decode()
                self.ended = not message.get("more_body", False)
        assert text is None or text in self.body
        return self.body


@pytest.fixture(params=["local", pytest.param("redis", marks=needs_redis)])
def site_backend(request, settings):
    """The backend the site uses, as settings choose it."""
    settings.REDIS_URL = REDIS_URL if request.param == "redis" else None
    backend = live.get_backend()
    backend.last_id_ttl = 60
    return backend


@pytest.mark.urls("tests.core.live_urls")
def test_an_open_page_receives_events_and_heartbeats_until_it_leaves(site_backend):
    channel = unique()

    async def scenario():
        async with Stream(f"/events/{channel}/?heartbeat=0.2") as stream:
            assert stream.status == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert stream.headers["cache-control"] == "no-cache"
            assert stream.headers["x-accel-buffering"] == "no"
            await stream.read_until("retry: ")
            assert site_backend.local_subscriber_count(channel) == 1
            event_id = await asyncio.to_thread(
                live.publish, channel, "post.created", {"fragment_url": "/t/42/p/7/"}
            )
            await stream.read_until("\n\n: heartbeat\n\n")
        # The server cancelled the stream when the client left, and it unsubscribed.
        assert site_backend.local_subscriber_count(channel) == 0
        await site_backend.aclose()
        return stream.body, event_id

    body, event_id = run(scenario())
    assert f'id: {event_id}\nevent: post.created\ndata: {{"fragment_url":"/t/42/p/7/"}}\n\n' in body


@pytest.mark.urls("tests.core.live_urls")
def test_a_reconnecting_page_is_told_to_resync_only_when_it_missed_events(site_backend):
    channel = unique()

    async def scenario():
        seen = live.current_event_id()
        async with Stream(f"/events/{channel}/", [(b"last-event-id", seen.encode())]) as stream:
            await stream.read_until("retry: ")
            heard = live.publish(channel, "post.created", {"n": 1})
            await stream.read_until("event: post.created")
        assert "resync" not in stream.body
        # Nothing since: no resync.
        async with Stream(f"/events/{channel}/?last_event_id={heard}") as stream:
            await stream.read_until("retry: ")
            live.publish(unique(), "post.created", {})
            live.publish(channel, "post.created", {"n": 2})
            await stream.read_until('data: {"n":2}')
        assert "resync" not in stream.body
        # Published while the page was away: a browser reconnects with Last-Event-ID.
        live.publish(channel, "post.created", {"n": 3})
        async with Stream(f"/events/{channel}/", [(b"last-event-id", heard.encode())]) as stream:
            await stream.read_until("event: resync\n")
        await site_backend.aclose()

    run(scenario())


@pytest.mark.urls("tests.core.live_urls")
def test_a_listener_who_loses_the_right_to_listen_is_refused_then_cut_off(site_backend):
    refused, revoked = unique(), unique()

    async def scenario():
        live_urls.REVOKED.add(refused)
        async with Stream(f"/guarded/{refused}/") as stream:
            assert stream.status == 403
        async with Stream(f"/guarded/{revoked}/?heartbeat=0.2") as stream:
            assert stream.status == 200
            await stream.read_until("retry: ")
            live_urls.REVOKED.add(revoked)
            await stream.read_until()
            assert stream.body.endswith("event: end\ndata: {}\n\n")
        assert site_backend.local_subscriber_count(revoked) == 0
        await site_backend.aclose()

    try:
        run(scenario())
    finally:
        live_urls.REVOKED.difference_update({refused, revoked})


@pytest.mark.django_db
@pytest.mark.urls("tests.core.live_urls")
def test_an_open_stream_does_not_hold_a_database_connection(settings, monkeypatch):
    settings.REDIS_URL = None
    channel = unique()
    # Watched rather than looked at: the in-memory SQLite of the tests never really closes.
    closed = []
    database_class = type(connections["default"])
    close = database_class.close

    def watched_close(self):
        closed.append(self)
        close(self)

    monkeypatch.setattr(database_class, "close", watched_close)

    async def scenario():
        async with Stream(f"/checked/{channel}/") as stream:
            await stream.read_until("retry: ")
            # Hundreds of open pages must not hold hundreds of connections.
            used = live_urls.CONNECTIONS.pop(channel)
            assert any(connection is used for connection in closed)

    run(scenario())


@pytest.mark.urls("tests.core.live_urls")
def test_the_stream_answers_503_when_redis_is_down(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    async def scenario():
        async with Stream(f"/events/{unique()}/") as stream:
            assert stream.status == 503
        await live.get_backend().aclose()

    run(scenario())

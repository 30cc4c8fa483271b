"""Live updates: publish on a channel, hear it in this process or another, over SSE.

Each backend is tested: in process, the database's (SQLite or PostgreSQL, as the suite's
database is) and Redis. Every test uses channels (and, for Redis backends made here, a
namespace) of its own, so parallel runs and other users of the same Redis do not
interfere. Separate processes: tests/core/test_live_processes.py.
"""

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.core.asgi import get_asgi_application
from django.db import connection, connections

from goingsolo.core import live
from goingsolo.core.live import LocalBackend, RedisBackend
from goingsolo.core.live.database import backend_for
from goingsolo.core.models import LiveEvent
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


def run(coroutine, timeout=10):
    """Runs a test's coroutine, failing instead of hanging."""
    return asyncio.run(asyncio.wait_for(coroutine, timeout=timeout))


async def next_event(events):
    return await asyncio.wait_for(anext(events), TIMEOUT)


def redis_backend(**kwargs):
    backend = RedisBackend(REDIS_URL, **{"namespace": unique("test-live"), **kwargs})
    backend.last_id_ttl = 60  # what the tests leave in Redis goes soon
    return backend


def publish_and_close(backend, channel, event, data):
    try:
        return backend.publish(channel, event, data)
    finally:
        connections.close_all()


async def published(backend, channel, event, data):
    """Publishes from a thread of its own, as a request or a job does on commit (the
    database backends write a row: never from the event loop)."""
    return await asyncio.to_thread(publish_and_close, backend, channel, event, data)


# The database backends' rows are committed: the listening thread reads them on a
# connection of its own.
on_the_database = pytest.param("database", marks=pytest.mark.django_db(transaction=True))


@pytest.fixture(params=["local", on_the_database, pytest.param("redis", marks=needs_redis)])
def backend(request):
    """Each backend; "database" is SQLite's or PostgreSQL's, as the suite's database is."""
    if request.param == "local":
        return LocalBackend()
    if request.param == "database":
        return backend_for(connection.vendor)
    return redis_backend()


# --- Backends -----------------------------------------------------------------------------


def test_a_published_event_reaches_the_subscribers_of_its_channel_only(backend):
    channel, other = unique(), unique()

    async def scenario():
        async with backend.subscribe([channel]) as events, backend.subscribe([other]) as others:
            await published(backend, channel, "post.created", {"post": 1})
            await published(backend, other, "post.created", {"post": 2})
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
                target=publish_and_close, args=(backend, channel, "post.created", {"body": "Salut"})
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
                await published(backend, channel, "post.created", {"n": number})
            # Events arrive in order: once the marker is in, all ten have been handed over.
            await published(backend, marker, "marker", {})
            await next_event(markers)
            received = [await next_event(events) for _ in range(4)]
            # Nothing more is held: the other six were dropped, not queued.
            await published(backend, channel, "post.created", {"n": 10})
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


def test_an_id_taken_for_a_page_tells_whether_a_channel_had_events_since(backend):
    quiet, busy = unique(), unique()
    since = int(backend.current_id())
    published_id = backend.publish(busy, "post.created", {})
    assert int(published_id) > since
    assert run(backend.missed([quiet, busy], since)) == [busy]
    assert run(backend.missed([quiet, busy], int(published_id))) == []


def test_a_large_event_arrives_whole(backend):
    # Far past PostgreSQL's 8,000 bytes for a notification: read from its row instead.
    channel, text = unique(), "Dé" * 20_000

    async def scenario():
        async with backend.subscribe([channel]) as events:
            await published(backend, channel, "post.created", {"text": text})
            event = await next_event(events)
        await backend.aclose()
        return event

    assert run(scenario()) == (channel, "post.created", {"text": text})


@pytest.mark.parametrize("make", [LocalBackend, lambda: backend_for(connection.vendor)])
def test_bad_names_and_data_are_refused_at_publication(make):
    # Refused before anything is written: this test may not touch the database.
    backend = make()
    with pytest.raises(ValueError):
        backend.publish("thread 42\nevent: x", "post.created", {})
    with pytest.raises(ValueError):
        backend.publish("thread:42", "post\ncreated", {})
    with pytest.raises(TypeError):
        backend.publish("thread:42", "post.created", ["not", "a", "dict"])
    with pytest.raises(TypeError):
        backend.publish("thread:42", "post.created", {"not json": object()})


# --- The database backends (SQLite or PostgreSQL, as the suite's database is) ---------------

database_only = pytest.mark.django_db(transaction=True)
LISTENER_APPLICATION = "goingsolo live listener"


def take_the_events_table_away():
    """Every query of the backend fails from now on, as when its database refuses them."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_liveevent RENAME TO core_liveevent_away")


@contextmanager
def events_table_put_back():
    try:
        yield
    finally:
        if "core_liveevent_away" in connection.introspection.table_names():
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE core_liveevent_away RENAME TO core_liveevent")


def postgres_listeners():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = %s",
            [LISTENER_APPLICATION],
        )
        return [pid for (pid,) in cursor.fetchall()]


def terminate_postgres_listeners():
    for pid in postgres_listeners():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@database_only
def test_events_published_at_once_by_many_writers_arrive_in_the_order_of_their_ids():
    backend = backend_for(connection.vendor)
    channel = unique()
    writers, each = 4, 25

    def write(writer):
        try:
            for number in range(each):
                backend.publish(channel, "post.created", {"writer": writer, "n": number})
        finally:
            connections.close_all()

    async def scenario():
        async with backend.subscribe([channel], maxsize=writers * each) as events:
            await asyncio.gather(*(asyncio.to_thread(write, w) for w in range(writers)))
            received = []
            for _ in range(writers * each):
                _channel, _event, data = await next_event(events)
                received.append((int(events.last_id), data))
        await backend.aclose()
        return received

    received = run(scenario())
    ids = [event_id for event_id, _data in received]
    # Ids follow commit order: a reader that has seen an id has seen all before it.
    assert ids == sorted(set(ids))
    for writer in range(writers):
        assert [d["n"] for _id, d in received if d["writer"] == writer] == list(range(each))


@database_only
def test_one_listening_connection_serves_the_process_while_anyone_listens():
    backend = backend_for(connection.vendor)
    channel = unique()

    async def scenario():
        async with (
            backend.subscribe([channel]) as first,
            backend.subscribe([channel, unique()]) as second,
        ):
            listener = backend._listener
            assert listener.is_alive()
            if connection.vendor == "postgresql":
                assert len(await asyncio.to_thread(postgres_listeners)) == 1
            await published(backend, channel, "thread.created", {"thread": 7})
            for events in (first, second):
                assert await next_event(events) == (channel, "thread.created", {"thread": 7})
        # Nobody left: the thread ends at its next turn and closes its connection.
        await asyncio.to_thread(listener.join, TIMEOUT)
        assert not listener.is_alive()
        if connection.vendor == "postgresql":
            assert await asyncio.to_thread(postgres_listeners) == []

    run(scenario())


@database_only
def test_when_the_listening_connection_fails_subscribers_resync_and_stop():
    backend = backend_for(connection.vendor)
    channel = unique()

    async def scenario(break_it):
        async with backend.subscribe([channel]) as events:
            await asyncio.to_thread(break_it)
            assert await next_event(events) == (channel, "resync", {"channel": channel})
            with pytest.raises(StopAsyncIteration):
                await next_event(events)

    async def mended():
        # The next subscription opens a new connection.
        async with backend.subscribe([channel]) as events:
            await published(backend, channel, "post.created", {})
            assert await next_event(events) == (channel, "post.created", {})
        await backend.aclose()

    if connection.vendor == "postgresql":
        # The server drops it, as on a restart or a failover.
        run(scenario(terminate_postgres_listeners))
    else:
        # SQLite has no server to hang up: the listener's reads fail instead.
        with events_table_put_back():
            run(scenario(take_the_events_table_away))
    run(mended())


@database_only
def test_publishing_while_the_database_refuses_is_logged_not_raised(caplog):
    backend = backend_for(connection.vendor)
    with events_table_put_back():
        take_the_events_table_away()
        assert backend.publish(unique(), "post.created", {}) is None
        assert backend.current_id() is None
    assert "could not publish" in caplog.text
    # Nothing is left broken: the next publication goes through.
    assert backend.publish(unique(), "post.created", {}) is not None


@database_only
def test_events_older_than_a_day_are_deleted_and_pages_that_old_are_told_to_resync():
    backend = backend_for(connection.vendor)
    quiet = unique()
    long_ago = int(time.time() * 1000) - backend.retention_ms - backend.prune_margin_ms - 1000
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_liveevent (id, channel, event, data) VALUES (%s, %s, %s, %s)",
            [long_ago, unique(), "post.created", "{}"],
        )
    # A process prunes with its first publication, then every `prune_every` seconds.
    backend.publish(unique(), "post.created", {})
    assert not LiveEvent.objects.filter(pk=long_ago).exists()
    # A page rendered before what is kept cannot know what it missed: it resyncs.
    assert run(backend.missed([quiet], long_ago)) == [quiet]


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

    # A process starts slowly on a loaded machine: the deadline is its start's, not the event's.
    assert run(scenario(), timeout=90) == (channel, "post.created", {"via": "mail"})


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


@pytest.fixture(params=["local", on_the_database, pytest.param("redis", marks=needs_redis)])
def site_backend(request, settings):
    """The backend the site uses, as settings choose it: in process (the suite's
    default), the database's when not in process, Redis when REDIS_URL is set."""
    settings.REDIS_URL = REDIS_URL if request.param == "redis" else None
    settings.GOINGSOLO_LIVE_IN_PROCESS = request.param == "local"
    backend = live.get_backend()
    backend.last_id_ttl = 60
    return backend


async def site_published(channel, event, data):
    return await asyncio.to_thread(publish_and_close, live, channel, event, data)


def current_event_id():
    try:
        return live.current_event_id()
    finally:
        connections.close_all()


def test_the_backend_follows_the_topology(settings):
    settings.REDIS_URL = None
    settings.GOINGSOLO_LIVE_IN_PROCESS = False
    expected = {"sqlite": "SQLiteBackend", "postgresql": "PostgresBackend"}[connection.vendor]
    assert type(live.get_backend()).__name__ == expected
    settings.REDIS_URL = REDIS_URL
    assert isinstance(live.get_backend(), RedisBackend)
    settings.REDIS_URL = None
    settings.GOINGSOLO_LIVE_IN_PROCESS = True
    assert isinstance(live.get_backend(), LocalBackend)


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
            event_id = await site_published(channel, "post.created", {"fragment_url": "/t/42/p/7/"})
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
        seen = await asyncio.to_thread(current_event_id)
        async with Stream(f"/events/{channel}/", [(b"last-event-id", seen.encode())]) as stream:
            await stream.read_until("retry: ")
            heard = await site_published(channel, "post.created", {"n": 1})
            await stream.read_until("event: post.created")
        assert "resync" not in stream.body
        # Nothing since: no resync.
        async with Stream(f"/events/{channel}/?last_event_id={heard}") as stream:
            await stream.read_until("retry: ")
            await site_published(unique(), "post.created", {})
            await site_published(channel, "post.created", {"n": 2})
            await stream.read_until('data: {"n":2}')
        assert "resync" not in stream.body
        # Published while the page was away: a browser reconnects with Last-Event-ID.
        await site_published(channel, "post.created", {"n": 3})
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
@pytest.mark.parametrize("in_process", [True, False], ids=["local", "database"])
def test_an_open_stream_does_not_hold_a_database_connection(settings, monkeypatch, in_process):
    settings.REDIS_URL = None
    settings.GOINGSOLO_LIVE_IN_PROCESS = in_process
    channel = unique()
    # A page's id: the database backend looks up what it missed with the request's connection.
    since = int(time.time() * 1000)
    # Watched rather than looked at: the in-memory SQLite of the tests never really closes.
    closed = []
    database_class = type(connections["default"])
    close = database_class.close

    def watched_close(self):
        closed.append(self)
        close(self)

    monkeypatch.setattr(database_class, "close", watched_close)

    async def scenario():
        async with Stream(f"/checked/{channel}/?last_event_id={since}") as stream:
            await stream.read_until("retry: ")
            # Hundreds of open pages must not hold hundreds of connections.
            used = live_urls.CONNECTIONS.pop(channel)
            assert any(connection is used for connection in closed)
        await live.get_backend().aclose()

    run(scenario())


@pytest.mark.urls("tests.core.live_urls")
def test_the_stream_answers_503_when_redis_is_down(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    async def scenario():
        async with Stream(f"/events/{unique()}/") as stream:
            assert stream.status == 503
        await live.get_backend().aclose()

    run(scenario())

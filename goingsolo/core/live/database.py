"""Live updates through the database: between processes with no server to add.

Without Redis, the database every process already shares carries the events. Each
publication is a row of `core_liveevent` (`goingsolo.core.models.LiveEvent`), written in
a short transaction of its own; the row's id is the event id: milliseconds on the
database's clock, strictly increasing and in commit order, so ids from any process
compare and a reader that has seen id N has seen every event up to N.

- **SQLiteBackend** (the embedded run): one thread per web process reads the rows past
  the last it has seen, every `poll_interval` (100 ms), while the process has
  subscriptions, and hands them to the local subscriptions.
- **PostgresBackend**: the row and a `pg_notify` are committed together; one thread per
  web process holds a connection that `LISTEN`s and hands each notification to the local
  subscriptions. A notification carries the event when it fits in PostgreSQL's 8,000
  bytes; otherwise only its id, and the listener reads the row.

Either way one connection per web process listens, whatever the number of open pages; it
is opened by the first subscription and closed once the last one has left. When it fails,
every subscription gets a resync for each of its channels and ends (browsers reconnect),
as with Redis. Rows are kept `retention_ms` (a day), which is how far back a reconnecting
page is told exactly whether it missed something.

One module, longer than one sitting: the two backends share the rows, the listening thread
and the hand-over to subscriptions; only how a process learns of a new row differs.
"""

import asyncio
import concurrent.futures
import json
import threading
import time

from asgiref.sync import sync_to_async
from django.db import Error, connections, transaction

from .backends import (
    RESYNC,
    LocalFanout,
    Unavailable,
    _call_on_its_loop,
    _check,
    _dumps,
    _now_ms,
    logger,
)

TABLE = "core_liveevent"
# PostgreSQL's notification channel. Notifications stay inside one database, so two
# instances on one server, each with its own database, do not hear each other.
NOTIFY_CHANNEL = "goingsolo_live"
# pg_notify refuses a payload of 8,000 bytes or more.
MAX_NOTIFICATION_BYTES = 7999
# Key of the advisory lock that puts publications in order on PostgreSQL (any fixed number).
PUBLISH_LOCK = 7_305_146_915_771_590_001
# Milliseconds on PostgreSQL's clock: the one clock of every process, on every machine.
PG_NOW_MS = "floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
# The largest id SQLite and PostgreSQL store: a larger Last-Event-ID is no id of ours.
MAX_ID = 2**63 - 1


def backend_for(vendor):
    """The database backend for a connection's vendor ("sqlite", "postgresql")."""
    backends = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}
    if vendor not in backends:
        raise ValueError(f"Live updates have no backend for the {vendor} database.")
    return backends[vendor]()


class DatabaseBackend(LocalFanout):
    """Publishing, ids and reconnections through `core_liveevent`; a vendor's subclass
    says how the rows are written and heard."""

    # How long events are kept: a page that comes back later is always told to resync.
    retention_ms = 24 * 3600 * 1000
    # Rows are deleted this much later than they stop counting, so that a clock a little
    # behind the database's never counts a deleted row as still there.
    prune_margin_ms = 3600 * 1000
    # Seconds between two prunings by one process (each publisher prunes now and then).
    prune_every = 600.0
    # How long subscribing waits for the listening connection to open, in seconds.
    subscribe_timeout = 5.0

    def __init__(self, alias="default"):
        super().__init__()
        self.alias = alias
        self._listener = None
        self._next_prune = 0.0

    def publish(self, channel, event, data):
        """Publishes in a short transaction of its own, or logs and returns None when the
        database refuses: the write the event tells of has succeeded, and pages show it
        on their next load. Synchronous: from async code, call it through sync_to_async.
        """
        _check(channel, event, data)
        body = _dumps(data)
        connection = connections[self.alias]
        # Called (as it should be) after the commit, it runs a transaction of its own.
        own_transaction = not connection.in_atomic_block
        try:
            with transaction.atomic(using=self.alias):
                event_id = self._insert(connection, channel, event, body, own_transaction)
        except Error:
            logger.warning("live: could not publish %s on %s", event, channel, exc_info=True)
            return None
        self._prune_now_and_then()
        return str(event_id)

    def current_id(self):
        try:
            with connections[self.alias].cursor() as cursor:
                cursor.execute(self._current_id_sql(), self._current_id_params())
                return str(cursor.fetchone()[0])
        except Error:
            logger.warning("live: could not read the current event id", exc_info=True)
            return None

    async def missed(self, channels, since):
        """Channels among CHANNELS with events after the id SINCE. Queries with the
        calling request's connection, which `sse_response` closes afterwards."""
        return await sync_to_async(self._missed)(list(channels), since)

    async def ready(self):
        # The database has just answered this request's permission checks; a listening
        # connection that cannot open fails the subscription (Unavailable) instead.
        return True

    async def aclose(self):
        """Ends every subscription of the process (each gets a resync) and closes the
        listening connection (tests, scripts)."""
        with self._lock:
            listener, self._listener = self._listener, None
        self._end_all()
        if listener is not None:
            await asyncio.to_thread(listener.join, 10)

    # -- Subscriptions ------------------------------------------------------------------

    async def _attach(self, subscription):
        with self._lock:
            for channel in subscription.channels:
                self._subscriptions.setdefault(channel, set()).add(subscription)
            listener = self._listener
            if listener is None:
                listener = self._listener = self.listener_class(self)
                listener.start()
        try:
            # Shielded: a subscriber that gives up must not cancel the start for others.
            async with asyncio.timeout(self.subscribe_timeout):
                error = await asyncio.shield(asyncio.wrap_future(listener.started))
            if error is not None:
                raise Unavailable(f"Cannot listen for live events: {error}")
        except BaseException:
            self._unregister(subscription)
            raise

    async def _detach(self, subscription):
        # The listener sees that nobody is left at its next turn, and closes.
        self._unregister(subscription)

    def _still_wanted(self, listener):
        with self._lock:
            if listener is not self._listener:
                return False  # closed by aclose, or replaced after a failure
            if not self._subscriptions:
                self._listener = None
                return False
            return True

    def _listener_failed(self, listener, error):
        """LISTENER could not open or lost its connection: every subscription is told."""
        with self._lock:
            if listener is not self._listener:
                return
            self._listener = None
            ended = {s for subs in self._subscriptions.values() for s in subs}
            self._subscriptions.clear()
        logger.warning("live: the database connection that listens failed: %s", error)
        for subscription in ended:
            _call_on_its_loop(subscription, subscription._lost)

    def _listens_to(self, channel):
        with self._lock:
            return channel in self._subscriptions

    def _dispatch_json(self, event_id, channel, event, body):
        try:
            data = json.loads(body)
        except ValueError:
            logger.warning("live: event %s on %s is not JSON; resync instead", event_id, channel)
            event, data = RESYNC, {"channel": channel}
        self._dispatch(channel, event, data, str(event_id))

    # -- Rows ---------------------------------------------------------------------------

    def _missed(self, channels, since):
        if since < _now_ms() - self.retention_ms:
            return channels  # older than what is kept: unknown, so resync
        if since >= MAX_ID:
            return []
        placeholders = ", ".join(["%s"] * len(channels))
        try:
            with connections[self.alias].cursor() as cursor:
                cursor.execute(
                    f"SELECT DISTINCT channel FROM {TABLE} "
                    f"WHERE id > %s AND channel IN ({placeholders})",
                    [since, *channels],
                )
                found = {row[0] for row in cursor.fetchall()}
        except Error as error:
            raise Unavailable(f"Cannot read past live events: {error}") from error
        return [channel for channel in channels if channel in found]

    def _prune_now_and_then(self):
        now = time.monotonic()
        if now < self._next_prune:
            return
        self._next_prune = now + self.prune_every
        older_than = _now_ms() - self.retention_ms - self.prune_margin_ms
        try:
            with connections[self.alias].cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE id < %s", [older_than])
        except Error:
            logger.warning("live: could not delete old events", exc_info=True)


class _Listener(threading.Thread):
    """The thread, and its connection, that hears events for one process.

    Started by the first subscription; `started` then gets None once it listens (or the
    error that kept it from listening). It stops once no subscription is left, or when
    its connection fails, after telling every subscription to resync.
    """

    def __init__(self, backend):
        super().__init__(name="goingsolo-live-listener", daemon=True)
        self.backend = backend
        self.started = concurrent.futures.Future()

    def run(self):
        try:
            try:
                self.open()
            except Exception as error:
                self.backend._listener_failed(self, error)
                self.started.set_result(error)
                return
            self.started.set_result(None)
            while self.backend._still_wanted(self):
                self.listen()
        except Exception as error:
            self.backend._listener_failed(self, error)
        finally:
            try:
                self.close()
            except Exception:
                pass

    def open(self):
        raise NotImplementedError

    def listen(self):
        """Waits a moment for events and hands over those that came."""
        raise NotImplementedError

    def close(self):
        raise NotImplementedError


class _Poller(_Listener):
    """SQLite: reads the rows past the last one seen, every `poll_interval`."""

    batch = 500
    database = None

    def open(self):
        # A connection of this thread's own, with the project's settings (WAL, timeout).
        self.database = connections.create_connection(self.backend.alias)
        with self.database.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {TABLE}")
            self.last_id = cursor.fetchone()[0]

    def listen(self):
        time.sleep(self.backend.poll_interval)
        while True:
            with self.database.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, channel, event, data FROM {TABLE} WHERE id > %s ORDER BY id LIMIT %s",
                    [self.last_id, self.batch],
                )
                rows = cursor.fetchall()
            for event_id, channel, event, body in rows:
                self.backend._dispatch_json(event_id, channel, event, body)
            if rows:
                self.last_id = rows[-1][0]
            if len(rows) < self.batch:
                return

    def close(self):
        if self.database is not None:
            self.database.close()


class SQLiteBackend(DatabaseBackend):
    """The embedded run's backend: rows polled by one thread per web process.

    Writers take SQLite's lock one at a time, so ids (taken under it) follow commit
    order, and a reader that has seen id N has seen every event up to N.
    """

    listener_class = _Poller
    # Seconds between two reads of a listening process: half of it is the mean delay.
    poll_interval = 0.1

    def _insert(self, connection, channel, event, body, own_transaction):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (id, channel, event, data) "
                f"SELECT max(%s, coalesce(max(id), 0) + 1), %s, %s, %s FROM {TABLE} RETURNING id",
                [_now_ms(), channel, event, body],
            )
            return cursor.fetchone()[0]

    def _current_id_sql(self):
        # One millisecond back: an event published within this millisecond still exceeds it.
        return f"SELECT max(%s, coalesce(max(id), 0)) FROM {TABLE}"

    def _current_id_params(self):
        return [_now_ms() - 1]


class _Notifications(_Listener):
    """PostgreSQL: a connection that LISTENs, woken by each notification."""

    connection = None

    def open(self):
        import psycopg  # noqa: PLC0415 -- only an instance on PostgreSQL loads the driver

        params = connections.create_connection(self.backend.alias).get_connection_params()
        params.setdefault("application_name", "goingsolo live listener")
        # A vanished server or network is noticed within about a minute.
        for name, value in {
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }.items():
            params.setdefault(name, value)
        self.connection = psycopg.connect(**params, autocommit=True)
        self.connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        self.heard_at = time.monotonic()

    def listen(self):
        # stop_after=1 returns as soon as something came (everything that came with it
        # included): the connection is then free to read a row.
        notifications = list(
            self.connection.notifies(timeout=self.backend.check_interval, stop_after=1)
        )
        now = time.monotonic()
        if not notifications:
            if now - self.heard_at >= self.backend.ping_interval:
                self.connection.execute("SELECT 1")  # a dead connection fails here
                self.heard_at = now
            return
        self.heard_at = now
        for notification in notifications:
            self.hand_over(notification.payload)

    def hand_over(self, payload):
        parts = payload.split(" ", 3)
        if len(parts) < 3 or not parts[0].isdigit():
            logger.warning("live: ignored a malformed notification %r", payload[:100])
            return
        event_id, channel, event = parts[:3]
        if not self.backend._listens_to(channel):
            return
        if len(parts) == 4:
            body = parts[3]
        else:
            # Too big to travel in the notification: read from its row.
            row = self.connection.execute(
                f"SELECT data FROM {TABLE} WHERE id = %s", [int(event_id)]
            ).fetchone()
            if row is None:
                event, body = RESYNC, json.dumps({"channel": channel})
            else:
                body = row[0]
        self.backend._dispatch_json(event_id, channel, event, body)

    def close(self):
        if self.connection is not None:
            self.connection.close()


class PostgresBackend(DatabaseBackend):
    """PostgreSQL without Redis: a row and a notification per event, committed together.

    Publications take one advisory lock for their short transaction, so ids follow
    commit order (PostgreSQL also delivers notifications in commit order).
    """

    listener_class = _Notifications
    # Seconds between the listener's checks that someone still listens.
    check_interval = 0.25
    # Silence after which the listening connection is tested with a query.
    ping_interval = 30.0

    def _insert(self, connection, channel, event, body, own_transaction):
        with connection.cursor() as cursor:
            if own_transaction:
                # The commit does not wait for the disk: four times as many publications a
                # second, and the lock below is held that much less. A crash may lose the
                # last rows, and nothing with them: listening connections drop with the
                # server, so every open page is told to resync anyway.
                cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK])
            cursor.execute(
                f"INSERT INTO {TABLE} (id, channel, event, data) "
                f"SELECT greatest({PG_NOW_MS}, coalesce(max(id), 0) + 1), %s, %s, %s "
                f"FROM {TABLE} RETURNING id",
                [channel, event, body],
            )
            event_id = cursor.fetchone()[0]
            payload = f"{event_id} {channel} {event} {body}"
            if len(payload.encode()) > MAX_NOTIFICATION_BYTES:
                payload = f"{event_id} {channel} {event}"
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, payload])
        return event_id

    def _current_id_sql(self):
        return f"SELECT greatest({PG_NOW_MS} - 1, coalesce(max(id), 0)) FROM {TABLE}"

    def _current_id_params(self):
        return []

"""What every backend of `goingsolo.core.live` shares, and the in-process one.

Backends hand events to `Subscription` objects on the subscriber's own event loop, so a
subscription is only ever touched by one thread. An event id is a number of milliseconds
on the backend's clock (the database's or Redis's), made strictly increasing: ids from
any process compare, which is what lets a reconnecting stream tell whether it missed
something (`missed`).

The backends: `LocalBackend` (here: one process, for tests), `SQLiteBackend` and
`PostgresBackend` (`database.py`: the embedded run and PostgreSQL without Redis),
`RedisBackend` (`redis_backend.py`).
"""

import asyncio
import collections
import json
import logging
import re
import threading
import time

from django.core.serializers.json import DjangoJSONEncoder

logger = logging.getLogger("goingsolo.live")

RESYNC = "resync"
# Undelivered events a subscription holds before it drops and asks for a resync.
DEFAULT_MAXSIZE = 100
# Plain names only: they travel in SSE "event:" lines and Redis channel names.
NAME = re.compile(r"[\w.:\-]{1,200}", re.ASCII)


def _check(channel, event, data):
    if not NAME.fullmatch(channel):
        raise ValueError(f"Invalid live channel name {channel!r}.")
    if not NAME.fullmatch(event):
        raise ValueError(f"Invalid live event name {event!r}.")
    if not isinstance(data, dict):
        raise TypeError(f"Live event data must be a dict, not {type(data).__name__}.")


def _dumps(value):
    return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))


def _now_ms():
    return time.time_ns() // 1_000_000


class Subscription:
    """Events of some channels, for one listener: ``async with``, then ``async for``.

    Holds at most ``maxsize`` undelivered events. When a slow listener lets it fill up,
    later events of a channel are dropped and, once the held ones are read, the listener
    gets ``(channel, "resync", {"channel": channel})``: reload what the channel shows.
    When the backend loses its connection, the listener gets a resync for every channel
    and the iteration ends; subscribe again to go on.
    """

    def __init__(self, backend, channels, maxsize):
        self.channels = tuple(dict.fromkeys(channels))
        if not self.channels:
            raise ValueError("Subscribe to at least one channel.")
        for channel in self.channels:
            _check(channel, RESYNC, {})
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1.")
        self.maxsize = maxsize
        # Id of the last event yielded, for the SSE "id:" field.
        self.last_id = None
        self.loop = None
        self._backend = backend
        self._events = collections.deque()
        self._missed = {}  # channels that dropped events, in order (a dict as ordered set)
        self._ended = False
        self._wakeup = None

    async def __aenter__(self):
        if self.loop is not None:
            raise RuntimeError("A subscription is entered once.")
        self.loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        await self._backend._attach(self)
        return self

    async def __aexit__(self, *exc_info):
        self._ended = True
        await self._backend._detach(self)

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.loop is None:
            raise RuntimeError("Use `async with subscribe(...) as events:` first.")
        while True:
            if self._events:
                channel, event, data, event_id = self._events.popleft()
                self.last_id = event_id
                return channel, event, data
            if self._missed:
                channel = next(iter(self._missed))
                del self._missed[channel]
                return channel, RESYNC, {"channel": channel}
            if self._ended:
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()

    # The backends call these on the subscription's loop.

    def _deliver(self, channel, event, data, event_id):
        if self._ended:
            return
        if len(self._events) >= self.maxsize:
            self._missed[channel] = None
        else:
            self._events.append((channel, event, data, event_id))
        self._wakeup.set()

    def _lost(self):
        for channel in self.channels:
            self._missed[channel] = None
        self._ended = True
        self._wakeup.set()


class Unavailable(Exception):
    """The backend could not listen (its database or server does not answer). A stream
    that meets it ends; the browser reconnects after its retry delay."""


class LocalFanout:
    """The subscriptions of one process, by channel, and the hand-over of an event to
    each of them on its own event loop. Safe to call from any thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscriptions = {}  # channel -> set of Subscription

    def subscribe(self, channels, *, maxsize=DEFAULT_MAXSIZE):
        return Subscription(self, channels, maxsize)

    def local_subscriber_count(self, channel=None):
        with self._lock:
            if channel is not None:
                return len(self._subscriptions.get(channel, ()))
            return len({s for subs in self._subscriptions.values() for s in subs})

    def _register(self, subscription):
        with self._lock:
            for channel in subscription.channels:
                self._subscriptions.setdefault(channel, set()).add(subscription)

    def _unregister(self, subscription):
        """Removes SUBSCRIPTION; returns whether any subscription is left."""
        with self._lock:
            for channel in subscription.channels:
                listeners = self._subscriptions.get(channel)
                if listeners is not None:
                    listeners.discard(subscription)
                    if not listeners:
                        del self._subscriptions[channel]
            return bool(self._subscriptions)

    def _dispatch(self, channel, event, data, event_id):
        with self._lock:
            listeners = list(self._subscriptions.get(channel, ()))
        for subscription in listeners:
            _call_on_its_loop(subscription, subscription._deliver, channel, event, data, event_id)

    def _end_all(self):
        """Every subscription gets a resync for each of its channels, then ends."""
        with self._lock:
            ended = {s for subs in self._subscriptions.values() for s in subs}
            self._subscriptions.clear()
        for subscription in ended:
            _call_on_its_loop(subscription, subscription._lost)

    async def _attach(self, subscription):
        self._register(subscription)

    async def _detach(self, subscription):
        self._unregister(subscription)


def _call_on_its_loop(subscription, method, *args):
    try:
        subscription.loop.call_soon_threadsafe(method, *args)
    except RuntimeError:
        pass  # its event loop is closed: nobody is listening any more


class LocalBackend(LocalFanout):
    """Fan-out inside one process, for tests (jobs run at once, in the test's process).

    Events published by another process (the worker, the mail listener, a second web
    process) are not seen here: `goingsolo.core.live.get_backend` chooses a backend that
    crosses processes everywhere else.
    """

    # Channels whose last event id is remembered for `missed`; older ones are forgotten
    # conservatively (a stream that asks about them is told to resync).
    remembered_channels = 10_000

    def __init__(self):
        super().__init__()
        self._last_ids = collections.OrderedDict()  # channel -> id of its last event
        self._last_id = self._origin = _now_ms()
        self._forgotten_id = 0

    def publish(self, channel, event, data):
        _check(channel, event, data)
        # Through JSON as with the other backends: the same data reaches listeners either
        # way, and a value that cannot be sent fails here, in the publisher.
        data = json.loads(_dumps(data))
        with self._lock:
            event_id = self._next_id()
            self._last_ids[channel] = event_id
            self._last_ids.move_to_end(channel)
            if len(self._last_ids) > self.remembered_channels:
                _, self._forgotten_id = self._last_ids.popitem(last=False)
        event_id = str(event_id)
        self._dispatch(channel, event, data, event_id)
        return event_id

    def current_id(self):
        with self._lock:
            self._last_id = max(self._last_id, _now_ms())
            return str(self._last_id)

    async def missed(self, channels, since):
        with self._lock:
            if since < self._origin:
                # Published before this process started: unknown.
                return list(channels)
            return [c for c in channels if self._last_ids.get(c, self._forgotten_id) > since]

    async def ready(self):
        return True

    async def aclose(self):
        pass

    def _next_id(self):
        self._last_id = max(self._last_id + 1, _now_ms())
        return self._last_id

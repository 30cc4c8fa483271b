"""The Redis backend of live updates: loaded only when REDIS_URL is set, so an instance
without Redis never imports the client (about 20 MB a process)."""

import asyncio
import json
import weakref

import redis
import redis.asyncio
from redis.backoff import NoBackoff
from redis.retry import Retry

from .backends import DEFAULT_MAXSIZE, Subscription, _check, _dumps, logger

# One round trip, atomic: a strictly increasing id from the Redis clock (the same clock
# for every process), the channel's last id kept for reconnecting streams, the message.
# string.format("%d") because Lua would print a 13-digit number as "1.7e+12".
_PUBLISH = """
local t = redis.call('TIME')
local id = math.max(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000),
                    tonumber(redis.call('GET', KEYS[1]) or '0') + 1)
id = string.format('%d', id)
redis.call('SET', KEYS[1], id, 'PX', ARGV[3])
redis.call('SET', KEYS[2], id, 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[2])
return id
"""
# An id that every later event will exceed.
_CURRENT = """
local t = redis.call('TIME')
local id = math.max(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000),
                    tonumber(redis.call('GET', KEYS[1]) or '0'))
id = string.format('%d', id)
redis.call('SET', KEYS[1], id, 'PX', ARGV[1])
return id
"""


class RedisBackend:
    """Fan-out between processes through Redis publish/subscribe.

    Publishing is one script call on a shared synchronous client (thread-safe pool).
    Listening uses one pub/sub connection per event loop, that is per web process,
    multiplexing all the subscriptions of the process: the channel is subscribed in
    Redis while at least one local subscription wants it (`_Hub`).

    Pub/sub ignores database numbers, so the namespace includes the one of the URL: two
    instances sharing a Redis server on different databases do not hear each other.
    """

    # How long the last event id of a channel is kept for reconnecting streams, in
    # seconds. Every key of the backend expires: nothing is left behind in Redis.
    last_id_ttl = 24 * 3600
    # Silence on the pub/sub connection after which Redis is pinged, and then given as
    # long again to answer before the connection is taken for lost.
    ping_interval = 30.0
    # How long to wait for Redis to confirm a subscription.
    subscribe_timeout = 5.0

    def __init__(self, url, *, namespace=None):
        self.url = url
        # Short timeouts: a publisher (a request, a job) must not hang on a Redis outage.
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        db = self._client.connection_pool.connection_kwargs.get("db", 0)
        self.namespace = namespace or f"goingsolo:{db}:live"
        self._prefix = f"{self.namespace}:".encode()
        self._seq_key = f"{self.namespace}.seq"
        self._publish = self._client.register_script(_PUBLISH)
        self._current = self._client.register_script(_CURRENT)
        self._hubs = weakref.WeakKeyDictionary()  # event loop -> _Hub

    def publish(self, channel, event, data):
        """Publishes, or logs and returns None when Redis cannot be reached.

        A live update is a courtesy: the post is already saved, and pages show it on the
        next load, so an outage must not turn a successful write into an error.
        """
        _check(channel, event, data)
        message = _dumps({"e": event, "d": data})
        try:
            event_id = self._publish(
                keys=[self._seq_key, self._last_key(channel)],
                args=[self._channel_key(channel), message, self.last_id_ttl * 1000],
            )
        except redis.RedisError:
            logger.warning("live: could not publish %s on %s", event, channel, exc_info=True)
            return None
        return event_id.decode()

    def subscribe(self, channels, *, maxsize=DEFAULT_MAXSIZE):
        return Subscription(self, channels, maxsize)

    def current_id(self):
        try:
            return self._current(keys=[self._seq_key], args=[self.last_id_ttl * 1000]).decode()
        except redis.RedisError:
            logger.warning("live: could not read the current event id", exc_info=True)
            return None

    async def missed(self, channels, since):
        client = self._hub().client
        async with client.pipeline(transaction=False) as pipe:
            pipe.time()
            pipe.mget([self._last_key(c) for c in channels])
            (seconds, micros), last_ids = await pipe.execute()
        now = seconds * 1000 + micros // 1000
        if since < now - self.last_id_ttl * 1000:
            return list(channels)  # older than what Redis remembers
        return [c for c, last in zip(channels, last_ids, strict=True) if last and int(last) > since]

    async def ready(self):
        try:
            return await self._hub().client.ping()
        except redis.RedisError:
            logger.warning("live: Redis does not answer", exc_info=True)
            return False

    def local_subscriber_count(self, channel=None):
        """Subscriptions of this process (on every event loop), for a channel or in all."""
        hubs = list(self._hubs.values())
        if channel is not None:
            key = self._channel_key(channel)
            return sum(len(hub.subscriptions.get(key, ())) for hub in hubs)
        return len({s for hub in hubs for subs in hub.subscriptions.values() for s in subs})

    async def aclose(self):
        """Closes the connections of the current event loop (tests, scripts)."""
        hub = self._hubs.pop(asyncio.get_running_loop(), None)
        if hub is not None:
            await hub.aclose()

    def _channel_key(self, channel):
        return self._prefix + channel.encode()

    def _last_key(self, channel):
        return f"{self.namespace}.last:{channel}"

    def _hub(self):
        loop = asyncio.get_running_loop()
        hub = self._hubs.get(loop)
        if hub is None:
            hub = self._hubs[loop] = _Hub(self)
        return hub

    async def _attach(self, subscription):
        await self._hub().attach(subscription)

    async def _detach(self, subscription):
        await self._hub().detach(subscription)


class _Hub:
    """The pub/sub connection of one event loop, shared by its subscriptions.

    One reader task receives every message and hands it to the subscriptions of its
    channel. Subscribing waits for Redis to confirm, so an event published after
    `subscribe()` returned is never missed. When the connection is lost, every
    subscription is told to resync and ends (browsers reconnect by themselves); the
    next subscription opens a new connection. With no subscription left, the
    connection is closed.
    """

    def __init__(self, backend):
        self.backend = backend
        # No silent retries: a reconnection would hide the events lost meanwhile.
        self.client = redis.asyncio.Redis.from_url(
            backend.url,
            socket_connect_timeout=2,
            retry=Retry(NoBackoff(), 0),
            client_name=f"{backend.namespace}:listener",
        )
        self.pubsub = None
        self.reader = None
        self.subscriptions = {}  # Redis channel -> set of Subscription
        self.confirmations = {}  # Redis channel -> future set when Redis confirms
        self.lock = asyncio.Lock()

    async def attach(self, subscription):
        keys = [self.backend._channel_key(c) for c in subscription.channels]
        async with self.lock:
            if self.pubsub is None:
                self.pubsub = self.client.pubsub()
            pubsub = self.pubsub
            new = [key for key in keys if key not in self.subscriptions]
            for key in keys:
                self.subscriptions.setdefault(key, set()).add(subscription)
            if not new:
                return
            loop = asyncio.get_running_loop()
            confirmed = [self.confirmations.setdefault(key, loop.create_future()) for key in new]
            try:
                await pubsub.subscribe(*new)
                if self.reader is None:
                    self.reader = asyncio.create_task(self._read(pubsub))
                async with asyncio.timeout(self.backend.subscribe_timeout):
                    await asyncio.gather(*confirmed)
            except BaseException:
                for key in new:
                    self.confirmations.pop(key, None)
                self._forget(subscription)
                if not self.subscriptions:
                    await self._close()
                raise

    async def detach(self, subscription):
        emptied = self._forget(subscription)
        if not emptied:
            return
        async with self.lock:
            if self.pubsub is None:
                return
            if not self.subscriptions:
                await self._close()
                return
            # Someone may have subscribed again while this waited for the lock.
            emptied = [key for key in emptied if key not in self.subscriptions]
            if emptied:
                try:
                    await self.pubsub.unsubscribe(*emptied)
                except redis.RedisError:
                    pass  # the reader sees the broken connection and ends everything

    async def aclose(self):
        async with self.lock:
            for subscription in {s for subs in self.subscriptions.values() for s in subs}:
                subscription._lost()
            self.subscriptions.clear()
            await self._close()
        await self.client.aclose()

    def _forget(self, subscription):
        """Removes the subscription; returns the channels nobody listens to any more."""
        emptied = []
        for channel in subscription.channels:
            key = self.backend._channel_key(channel)
            listeners = self.subscriptions.get(key)
            if listeners is not None and subscription in listeners:
                listeners.discard(subscription)
                if not listeners:
                    del self.subscriptions[key]
                    emptied.append(key)
        return emptied

    async def _close(self):
        reader, pubsub = self.reader, self.pubsub
        self.reader = self.pubsub = None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            try:
                await reader
            except (asyncio.CancelledError, Exception):
                pass
        if pubsub is not None:
            try:
                await pubsub.aclose()
            except (redis.RedisError, OSError):
                pass

    async def _read(self, pubsub):
        waiting_for_pong = False
        try:
            while True:
                message = await pubsub.get_message(timeout=self.backend.ping_interval)
                if message is None:
                    if waiting_for_pong:
                        raise redis.ConnectionError("Redis did not answer PING in time.")
                    await pubsub.ping()
                    waiting_for_pong = True
                    continue
                waiting_for_pong = False
                if message["type"] == "message":
                    self._dispatch(message["channel"], message["data"])
                elif message["type"] == "subscribe":
                    future = self.confirmations.pop(message["channel"], None)
                    if future is not None and not future.done():
                        future.set_result(None)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if pubsub is not self.pubsub:
                return  # closed on purpose meanwhile
            logger.warning("live: lost the Redis pub/sub connection: %s", error)
            self.reader = None
            for future in self.confirmations.values():
                if not future.done():
                    future.set_exception(redis.ConnectionError("Lost the Redis connection."))
            self.confirmations.clear()
            for subscription in {s for subs in self.subscriptions.values() for s in subs}:
                subscription._lost()
            self.subscriptions.clear()
            self.pubsub = None
            try:
                await pubsub.aclose()
            except (redis.RedisError, OSError):
                pass

    def _dispatch(self, key, raw):
        listeners = self.subscriptions.get(key)
        if not listeners:
            return
        try:
            event_id, _, body = raw.partition(b" ")
            payload = json.loads(body)
            event, data = payload["e"], payload["d"]
        except (ValueError, KeyError, TypeError):
            logger.warning("live: ignored a malformed message on %r", key)
            return
        channel = key[len(self.backend._prefix) :].decode()
        event_id = event_id.decode()
        for subscription in list(listeners):
            subscription._deliver(channel, event, data, event_id)

"""Live updates: publish an event on a channel, hear it in any web process.

A channel is an opaque name chosen by a feature ("thread:42", "group:7"); core knows no
feature. An event has a name ("post.created") and a JSON-serialisable dict of data.

- `publish(channel, event, data)`: synchronous; call it once the write is committed,
  with `publish_on_commit` or inside `transaction.on_commit`, never before (a listener
  would fetch what is not there yet, or what a rollback removed).
- `subscribe(channels)`: an async context manager and iterator of
  ``(channel, event, data)``.
- `sse_response(request, channels)`: the body of an async view streaming those events
  to a browser (`goingsolo/static/goingsolo/live.js` listens to it).

Events reach every web process, whichever process publishes (web, worker, mail
listener): through Redis publish/subscribe with ``REDIS_URL`` set, else through the
database (`database.py`: polled on SQLite, LISTEN/NOTIFY on PostgreSQL). Under test,
jobs run in the test's process and so do live updates (`LocalBackend`). Design, limits,
measured delays and deployment: ``docs/live-updates.md``.
"""

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connections, transaction
from django.dispatch import receiver

from .backends import DEFAULT_MAXSIZE, RESYNC, LocalBackend, Subscription, Unavailable
from .database import backend_for
from .sse import END, sse_response

__all__ = [
    "END",
    "RESYNC",
    "LocalBackend",
    "RedisBackend",
    "Subscription",
    "Unavailable",
    "current_event_id",
    "get_backend",
    "publish",
    "publish_on_commit",
    "sse_response",
    "subscribe",
]

_backend = None
_backend_lock = threading.Lock()


def get_backend():
    """The process's backend, chosen by the topology: Redis when ``settings.REDIS_URL`` is
    set; else the database's (SQLite or PostgreSQL), which every process shares; in
    process only when ``settings.GOINGSOLO_LIVE_IN_PROCESS`` says so (the test suite)."""
    global _backend
    with _backend_lock:
        if _backend is None:
            if settings.REDIS_URL:
                from .redis_backend import RedisBackend  # noqa: PLC0415 -- Redis only when used

                _backend = RedisBackend(settings.REDIS_URL)
            elif settings.GOINGSOLO_LIVE_IN_PROCESS:
                _backend = LocalBackend()
            else:
                _backend = backend_for(connections["default"].vendor)
        return _backend


@receiver(setting_changed)
def _forget_backend(setting, **kwargs):
    global _backend
    if setting in ("REDIS_URL", "GOINGSOLO_LIVE_IN_PROCESS", "DATABASES"):
        with _backend_lock:
            _backend = None


def publish(channel: str, event: str, data: dict) -> str | None:
    """Sends EVENT with DATA to the subscribers of CHANNEL, in every web process.

    Synchronous (it may write a row): call it after the commit (see
    `publish_on_commit`), from sync code. Returns the event id, or None when the channel
    could not be reached (logged, never raised: the write has succeeded and pages show
    it on their next load). Raises ValueError or TypeError for a bad channel or event
    name or data that is not a JSON-serialisable dict.
    """
    return get_backend().publish(channel, event, data)


def publish_on_commit(channel: str, event: str, data: dict) -> None:
    """Publishes once the current transaction commits; nothing if it rolls back."""
    transaction.on_commit(lambda: publish(channel, event, data))


def subscribe(channels: list[str], *, maxsize: int = DEFAULT_MAXSIZE) -> Subscription:
    """Events of CHANNELS, as ``(channel, event, data)``::

        async with subscribe(["thread:42"]) as events:
            async for channel, event, data in events:
                ...

    Subscribed once ``async with`` has entered: anything published after that is
    heard. Data dicts may be shared between listeners: read them, do not change them.
    A listener that falls more than MAXSIZE events behind loses the next ones and gets
    ``(channel, "resync", {"channel": channel})`` instead: reload what the channel shows.
    """
    return get_backend().subscribe(channels, maxsize=maxsize)


def current_event_id() -> str | None:
    """An id that every event published from now on exceeds.

    Render it in a page as ``?last_event_id=`` on its events URL: the first connection
    then learns (with a resync) of events published between the render and the
    connection.
    """
    return get_backend().current_id()


def __getattr__(name):
    # RedisBackend is imported on first use: an instance without Redis never loads the client.
    if name == "RedisBackend":
        from .redis_backend import RedisBackend  # noqa: PLC0415 -- Redis only when used

        return RedisBackend
    raise AttributeError(name)

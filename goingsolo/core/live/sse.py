"""Server-sent events: a stream of live events to a browser's EventSource."""

import asyncio
import inspect
import json
import logging
import sys

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpResponse, HttpResponseForbidden, StreamingHttpResponse

from .backends import RESYNC, Unavailable

logger = logging.getLogger("goingsolo.live")

# Sent when `authorize` stops allowing the stream: the page stops listening.
END = "end"
# How long a browser waits before reconnecting after the stream ends (milliseconds).
RETRY_MS = 5000


async def sse_response(request, channels, *, authorize=None, heartbeat=15):
    """Streams the events of CHANNELS as ``text/event-stream``; return it from an async view.

    The caller decides who may hear what, before calling: a view checks, as for the
    page, that the member may see what each channel is about (a channel of a secret
    group is never subscribed for a non-member), and answers 403 or 404 otherwise::

        async def thread_events(request, pk):
            thread = await aget_object_or_404(Thread, pk=pk)
            if not await sync_to_async(rules.can_read_thread)(request.user, thread):
                raise Http404
            return await sse_response(request, [f"thread:{pk}"])

    AUTHORIZE, if given, is a callable of the request (sync or async) returning whether
    the stream may go on. It is checked before anything is sent (403 when it says no)
    and again at every heartbeat, so a member removed from a group stops hearing it
    within HEARTBEAT seconds: the stream sends an "end" event and closes.

    Frames: ``retry:`` first (once subscribed), then ``id:``/``event:``/``data:`` (JSON)
    for each event, and a ``: heartbeat`` comment every HEARTBEAT seconds, which keeps
    proxies from closing an idle connection. On reconnection (``Last-Event-ID``
    header, or ``last_event_id`` in the query string), events are not replayed: if any
    channel had events since that id, a "resync" event is sent first. When the client
    disconnects, the server cancels the stream and the subscription is released.

    Answers 503 when the backend cannot be reached (the page's script retries later).
    """
    from . import get_backend  # noqa: PLC0415 -- the package imports this module

    if heartbeat <= 0:
        raise ValueError("heartbeat must be a positive number of seconds.")
    if not isinstance(request, ASGIRequest):
        # Under WSGI an endless stream would hold a worker thread forever. 204 tells
        # EventSource to stop retrying; the page still works, it just does not update live.
        return HttpResponse(status=204)
    backend = get_backend()
    # Checks the channel names now; subscribes only once the stream is read.
    subscription = backend.subscribe(channels)
    if authorize is not None and not await _allowed(authorize, request):
        return HttpResponseForbidden()
    if not await backend.ready():
        response = HttpResponse(status=503)
        response["Retry-After"] = "30"
        return response
    response = StreamingHttpResponse(
        _stream(request, backend, subscription, authorize, heartbeat, _last_event_id(request)),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    # nginx would otherwise hold the events back in its buffer.
    response["X-Accel-Buffering"] = "no"
    return response


async def _stream(request, backend, subscription, authorize, heartbeat, last_event_id):
    loop = asyncio.get_running_loop()
    try:
        async with subscription as events:
            # Subscribed: from here on nothing published is missed. What came before,
            # since the page's last event, is looked up before the first frame.
            missed = []
            if last_event_id is not None:
                missed = await backend.missed(events.channels, last_event_id)
            await _release_database()
            yield f"retry: {RETRY_MS}\n\n".encode()
            for channel in missed:
                yield _frame(RESYNC, {"channel": channel})
            next_beat = loop.time() + heartbeat
            while True:
                try:
                    async with asyncio.timeout(next_beat - loop.time()):
                        channel, event, data = await anext(events)
                except TimeoutError:
                    if authorize is not None and not await _allowed(authorize, request):
                        yield _frame(END, {})
                        return
                    yield b": heartbeat\n\n"
                    next_beat = loop.time() + heartbeat
                    continue
                except StopAsyncIteration:
                    return  # the backend lost its connection; the browser reconnects
                yield _frame(event, data, None if event == RESYNC else events.last_id)
    except (TimeoutError, Unavailable, *_redis_errors()):
        # Subscribing or looking up missed events failed. Headers are sent: end the
        # stream, the browser reconnects after RETRY_MS.
        logger.warning("live: no stream for %s", subscription.channels, exc_info=True)
        await _release_database()


def _redis_errors():
    """Redis's error class, once the Redis backend has loaded the client; none before."""
    client = sys.modules.get("redis")
    return (client.RedisError,) if client is not None else ()


def _frame(event, data, event_id=None):
    # json.dumps escapes newlines, so the data is one line whatever it holds.
    lines = [f"id: {event_id}\n"] if event_id is not None else []
    lines.append(f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n")
    return "".join(lines).encode()


def _last_event_id(request):
    value = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id")
    try:
        event_id = int(value) if value else None
    except ValueError:
        return None
    # Ids are milliseconds in a signed 64-bit column: anything else is no id of ours.
    return event_id if event_id is not None and 0 <= event_id < 2**63 else None


async def _allowed(authorize, request):
    if inspect.iscoroutinefunction(authorize):
        allowed = await authorize(request)
    else:
        allowed = await sync_to_async(authorize)(request)
    await _release_database()
    return bool(allowed)


async def _release_database():
    # Django runs the sync code of a request (middleware, permission checks) in a thread
    # of its own that keeps its database connections until the request ends: for a
    # stream, until the page is closed. Hundreds of open pages would hold as many
    # connections, so they are closed as soon as the queries are done.
    await sync_to_async(connections.close_all)()

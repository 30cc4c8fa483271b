"""Request bodies larger than GOINGSOLO_MAX_REQUEST_BYTES are refused before they are read.

Two parts, because Django's ASGI handler reads the whole body (to a temporary file on disk,
past FILE_UPLOAD_MAX_MEMORY_SIZE) before any middleware runs:

- `RequestBodyLimit` wraps the ASGI application (config/asgi.py). A declared
  `Content-Length` over the cap: not one byte of the body is read, Django gets an empty
  one. A body without a declared length (chunked): it is passed on until it passes the
  cap, then ended there. Either way the request is marked, and the answer closes the
  connection, so the server does not read the rest to keep it open.
- `RequestBodyLimitMiddleware`, last of Django's middlewares, answers a marked request,
  or one whose `Content-Length` is over the cap (the test client, a WSGI server: bodies
  read lazily), with the 413 page in the visitor's language, before any view reads it.

A front server may refuse earlier still (nginx's `client_max_body_size`; docs/security.md).
"""

import asyncio

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from goingsolo.core.site_pages import previous_page

# Set in the ASGI scope (which Django's request keeps as `request.scope`) of a request
# whose body was cut short or never read.
TOO_LARGE = "goingsolo.body_too_large"


def _declared_length(value):
    """The Content-Length as a number; None when absent or not a number."""
    try:
        length = int(value)
    except (TypeError, ValueError):
        return None
    return length if length >= 0 else None


class RequestBodyLimit:
    """ASGI middleware: an HTTP request's body never reaches the application past the cap."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.GOINGSOLO_MAX_REQUEST_BYTES
        headers = dict(scope.get("headers") or ())
        declared = _declared_length(headers.get(b"content-length", b"").decode("latin-1"))
        if declared is not None and declared > limit:
            scope[TOO_LARGE] = True
            return await self.app(scope, _empty_body(), _closing(send))

        received = 0
        cut = False

        async def limited_receive():
            nonlocal received, cut
            if cut:
                return await _never()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    cut = True
                    scope[TOO_LARGE] = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def closing_when_cut(message):
            await (_closing(send) if cut else send)(message)

        return await self.app(scope, limited_receive, closing_when_cut)


def _empty_body():
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return await _never()
        sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return receive


async def _never():
    """What a refused request's receive() waits on after its (empty) body: asking the
    server for more would make it read the body after all. Django cancels the wait (its
    disconnect listener) once the 413 is sent."""
    await asyncio.Event().wait()


def _closing(send):
    """The response asks the server to close the connection after it: keeping it open
    would mean reading the rest of the body first."""

    async def closing_send(message):
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"connection"]
            message = {**message, "headers": [*headers, (b"connection", b"close")]}
        await send(message)

    return closing_send


class RequestBodyLimitMiddleware:
    """Answers 413 to a request whose body is (or was cut) over the cap, unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = getattr(request, "scope", None) or {}
        declared = _declared_length(request.META.get("CONTENT_LENGTH"))
        too_large = scope.get(TOO_LARGE) or (
            declared is not None and declared > settings.GOINGSOLO_MAX_REQUEST_BYTES
        )
        if too_large:
            return request_too_large(request)
        return self.get_response(request)


@requires_csrf_token
def request_too_large(request):
    """The 413 page: what the limit is, and the way back to the form."""
    return render(
        request,
        "413.html",
        {"back_url": previous_page(request), "limit": settings.GOINGSOLO_MAX_REQUEST_BYTES},
        status=413,
    )

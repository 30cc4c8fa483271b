"""URLs for the live-update tests only: a stream of the channel named in the path."""

from asgiref.sync import sync_to_async
from django.db import connections
from django.urls import path

from goingsolo.core.live import sse_response

# Channels whose listeners have lost the right to hear them.
REVOKED = set()
# The database connection a checked stream queried with, by channel.
CONNECTIONS = {}


def _heartbeat(request):
    return float(request.GET.get("heartbeat", "15"))


async def events(request, channel):
    return await sse_response(request, [channel], heartbeat=_heartbeat(request))


async def guarded_events(request, channel):
    def may_listen(request):
        return channel not in REVOKED

    return await sse_response(
        request, [channel], authorize=may_listen, heartbeat=_heartbeat(request)
    )


async def checked_events(request, channel):
    def check():
        # As a permission check does, in the request's thread.
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        CONNECTIONS[channel] = connections["default"]

    await sync_to_async(check)()
    return await sse_response(request, [channel])


urlpatterns = [
    path("checked/<str:channel>/", checked_events),
    path("events/<str:channel>/", events),
    path("guarded/<str:channel>/", guarded_events),
]

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections


class CoreConfig(AppConfig):
    name = "goingsolo.core"
    label = "core"

    def ready(self):
        # Core's own entries of the schedule (expired sessions, the schedule's history), and
        # the receivers of the pages kept for visitors.
        from . import (  # noqa: PLC0415 -- registration once the apps are ready
            page_cache,
            scheduler,  # noqa: F401
        )

        # Every connection counts the writes that may change a page kept for visitors,
        # connections opened before this point included.
        for connection in connections.all(initialized_only=True):
            page_cache.watch_connection(sender=None, connection=connection)

        # A mistyped rate in GOINGSOLO_RATE_LIMITS stops every process at start rather
        # than the first request it would limit.
        from .rate_limits import parse_rates  # noqa: PLC0415 -- it needs the apps loaded

        for name, text in settings.GOINGSOLO_RATE_LIMITS.items():
            try:
                parse_rates(text)
            except ValueError as error:
                raise ImproperlyConfigured(f"GOINGSOLO_RATE_LIMITS[{name!r}]: {error}") from None

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CoreConfig(AppConfig):
    name = "goingsolo.core"
    label = "core"

    def ready(self):
        # Core's own entries of the schedule (expired sessions, the schedule's history).
        from . import scheduler  # noqa: F401, PLC0415 -- registration once the apps are ready

        # A mistyped rate in GOINGSOLO_RATE_LIMITS stops every process at start rather
        # than the first request it would limit.
        from .rate_limits import parse_rates  # noqa: PLC0415 -- it needs the apps loaded

        for name, text in settings.GOINGSOLO_RATE_LIMITS.items():
            try:
                parse_rates(text)
            except ValueError as error:
                raise ImproperlyConfigured(f"GOINGSOLO_RATE_LIMITS[{name!r}]: {error}") from None

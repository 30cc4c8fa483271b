from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goingsolo.core"
    label = "core"

    def ready(self):
        # Core's own entries of the schedule (expired sessions, the schedule's history).
        from . import scheduler  # noqa: F401, PLC0415 -- registration once the apps are ready

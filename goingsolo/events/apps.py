from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "goingsolo.events"
    label = "events"

    def ready(self):
        from . import sections  # noqa: F401  (registers the sections of group and home pages)

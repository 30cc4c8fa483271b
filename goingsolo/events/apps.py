from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "goingsolo.events"
    label = "events"

    def ready(self):
        # Registers the sections of the group and home pages, and how events show in search.
        from . import search_index, sections  # noqa: F401

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "goingsolo.events"
    label = "events"

    def ready(self):
        # Registers the sections of the group and home pages, how events show in search, and
        # the reminders in the worker's schedule.
        from . import (  # noqa: F401, PLC0415 -- they need the models, loaded once apps are ready
            schedule,
            search_index,
            sections,
        )

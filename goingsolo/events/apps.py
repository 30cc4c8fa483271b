from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "goingsolo.events"
    label = "events"

    def ready(self):
        # Registers the sections of the group and home pages, how events show in search, and
        # the reminders in the worker's schedule.
        from . import schedule, search_index, sections  # noqa: F401

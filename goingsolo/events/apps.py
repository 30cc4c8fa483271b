from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "goingsolo.events"
    label = "events"

    def ready(self):
        # Registers the sections of the group and home pages, how events show in search,
        # the reminders in the worker's schedule, what a member who leaves gives up, and
        # events' part of a member's export, account deletion and private links.
        from . import (  # noqa: F401, PLC0415 -- they need the models, loaded once apps are ready
            privacy,
            receivers,
            schedule,
            search_index,
            sections,
        )

        receivers.connect()
        from goingsolo.accounts import profile_sections  # noqa: PLC0415

        from .reach.places import profile_section  # noqa: PLC0415

        profile_sections.register(profile_section)

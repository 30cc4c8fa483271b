from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "goingsolo.moderation"
    label = "moderation"

    def ready(self):
        # Registers the Review tab of groups' pages, the schedule's entry and the receivers
        # of what lands in the queue, at start-up.
        from . import (  # noqa: PLC0415 -- registrations need the app registry ready
            receivers,
            schedule,  # noqa: F401
            tabs,  # noqa: F401
        )

        receivers.connect()

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "goingsolo.moderation"
    label = "moderation"

    def ready(self):
        # Registers the Review tab of groups' pages, at start-up.
        from . import tabs  # noqa: F401, PLC0415 -- registration in ready()

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "goingsolo.mail"
    label = "mail"

    def ready(self):
        from . import (  # noqa: F401  (registrations)
            checks,
            receivers,
            schedule,
            sections_inbound,
        )

        receivers.connect()

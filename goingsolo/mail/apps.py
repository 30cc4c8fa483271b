from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "goingsolo.mail"
    label = "mail"

    def ready(self):
        # Imported once the models are loaded: each registers something (checks, signal
        # receivers, the schedule's entries, the group page's sections, moved job paths).
        from . import (  # noqa: PLC0415 -- registrations need the app registry ready
            checks,  # noqa: F401
            moved_jobs,
            privacy,  # noqa: F401
            receivers,
            schedule,  # noqa: F401
        )
        from .inbound import sections  # noqa: F401, PLC0415 -- as above

        receivers.connect()
        moved_jobs.install()

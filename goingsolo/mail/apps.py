from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "goingsolo.mail"
    label = "mail"

    def ready(self):
        from . import admin_inbound, checks, receivers, sections_inbound  # noqa: F401  (registrations)

        receivers.connect()

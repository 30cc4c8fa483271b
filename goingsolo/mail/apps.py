from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "goingsolo.mail"
    label = "mail"

    def ready(self):
        from . import receivers

        receivers.connect()

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "goingsolo.mail"
    label = "mail"

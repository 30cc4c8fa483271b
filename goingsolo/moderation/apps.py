from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "goingsolo.moderation"
    label = "moderation"

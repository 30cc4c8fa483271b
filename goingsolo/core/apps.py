from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goingsolo.core"
    label = "core"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "goingsolo.api"
    label = "api"

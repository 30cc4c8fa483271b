from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "goingsolo.demo"
    label = "demo"

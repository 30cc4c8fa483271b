from django.apps import AppConfig


class BarcampConfig(AppConfig):
    name = "goingsolo.barcamp"
    label = "barcamp"

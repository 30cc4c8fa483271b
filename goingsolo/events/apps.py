from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "goingsolo.events"
    label = "events"

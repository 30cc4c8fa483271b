from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "goingsolo.wiki"
    label = "wiki"

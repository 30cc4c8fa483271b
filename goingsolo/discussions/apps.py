from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "goingsolo.discussions"
    label = "discussions"

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "goingsolo.discussions"
    label = "discussions"

    def ready(self):
        # Registers how posts show in search results.
        from . import search_index  # noqa: F401

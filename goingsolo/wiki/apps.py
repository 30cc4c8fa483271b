from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "goingsolo.wiki"
    label = "wiki"

    def ready(self):
        # The group page's wiki section, and how pages show in search results.
        from . import search_index, sections  # noqa: F401, PLC0415 -- registration once the apps are ready

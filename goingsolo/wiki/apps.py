from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "goingsolo.wiki"
    label = "wiki"

    def ready(self):
        from . import sections  # noqa: F401  registers the group page's wiki section

from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "goingsolo.wiki"
    label = "wiki"

    def ready(self):
        # The group page's wiki section, how pages show in search results, and the wiki's part
        # of a member's export and account deletion.
        from . import privacy, search_index, sections  # noqa: F401, PLC0415 -- registration once the apps are ready

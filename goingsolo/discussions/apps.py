from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "goingsolo.discussions"
    label = "discussions"

    def ready(self):
        # Registers the sections of the group and home pages and the Discussions tab, and how
        # posts show in search results, and discussions' part of a member's export and account
        # deletion; at start-up, once the models are loaded.
        from . import privacy, search_index, sections  # noqa: F401, PLC0415 -- registration in ready()

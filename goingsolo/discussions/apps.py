from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "goingsolo.discussions"
    label = "discussions"

    def ready(self):
        from goingsolo.groups import sections

        # Registers how posts show in search results.
        from . import (
            search_index,  # noqa: F401
            views,
        )

        sections.register("group")(views.group_section)
        sections.register("home")(views.home_section)

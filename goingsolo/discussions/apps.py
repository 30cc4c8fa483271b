from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "goingsolo.discussions"
    label = "discussions"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from goingsolo.groups import sections, tabs

        # Registers how posts show in search results.
        from . import (
            search_index,  # noqa: F401
            views,
        )

        sections.register("group")(views.group_section)
        sections.register("home")(views.home_section)
        # The group's page lists its threads first: the Discussions tab is that page.
        tabs.register(tabs.Tab("discussions", _("Discussions"), "groups:detail", order=10))

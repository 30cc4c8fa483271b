from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "goingsolo.discussions"
    label = "discussions"

    def ready(self):
        from goingsolo.groups import sections

        from . import views

        sections.register("group")(views.group_section)
        sections.register("home")(views.home_section)

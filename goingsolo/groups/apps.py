from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "goingsolo.groups"
    label = "groups"

    def ready(self):
        # The tabs of groups' own pages (members, about, management), features add theirs;
        # and groups' part of a member's export and account deletion.
        from . import privacy, tabs  # noqa: F401, PLC0415 -- registration once the apps are ready

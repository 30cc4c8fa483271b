from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "goingsolo.groups"
    label = "groups"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "goingsolo.accounts"
    label = "accounts"

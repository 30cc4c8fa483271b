from django.apps import AppConfig


class BarcampConfig(AppConfig):
    """Barcamps: session proposals and wishes, the scheduled grid, the live board."""

    name = "goingsolo.barcamp"
    label = "barcamp"

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own folder, never in ./data."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GOINGSOLO_PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_language_and_time_zone():
    """Each test starts in English and UTC, whatever a previous request activated."""
    from django.utils import timezone, translation

    translation.activate("en")
    yield
    translation.deactivate()
    timezone.deactivate()

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own folder, never in ./data."""
    settings.MEDIA_ROOT = tmp_path / "media"

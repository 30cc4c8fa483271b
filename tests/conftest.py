import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own folder, never in ./data."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs on-commit work (queued emails, jobs) as if the test's transaction committed."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks

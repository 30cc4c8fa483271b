"""Helpers shared by the test modules."""

import os

import pytest

# Under CI nothing may hide: a missing Chromium, Redis or ../shared corpus fails the run.
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_part(reason):
    """Skips the current test for a missing part of the machine, or fails it under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing part fails the run)", pytrace=False)
    pytest.skip(reason)

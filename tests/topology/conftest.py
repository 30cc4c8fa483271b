"""Fixtures of the topology tests: whole instances in processes of their own.

These tests choose their own databases (never the suite's DATABASE_URL): `make test` runs
them once, in a pass of their own (`make test-topology`), and leaves them out of its
SQLite and PostgreSQL passes (`-m "not topology"`). See docs/contributing.md.
"""

from contextlib import contextmanager

import pytest

# Chromium, driven as the browser tests drive it (one per module).
from tests.e2e.conftest import browser, new_page  # noqa: F401
from tests.support import SmtpSink

from .instance import Instance, Templates


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    templates = Templates(tmp_path_factory.mktemp("topology-templates"))
    yield templates
    templates.close()


@contextmanager
def instance_of(topology, templates, tmp_path_factory, *, environment=None, hold=0.0):
    """An Instance of TOPOLOGY (not started) with its SMTP sink, all stopped and its
    database dropped on the way out."""
    sink = SmtpSink(hold=hold)
    sink.start()
    instance = None
    try:
        instance = Instance(
            topology,
            templates=templates,
            folder=tmp_path_factory.mktemp(topology),
            sink=sink,
            environment=environment,
        )
        yield instance
    finally:
        if instance is not None:
            instance.close()
        sink.stop()

"""Fixtures of the topology tests: whole instances in processes of their own.

`instance` is the instance as `goingsolo run` starts it, one per topology for the whole
session: starting one takes a while on a loaded machine, and the tests of every module
use members and groups of their own (seed.py), so they share it. The instances of every
topology the session's tests use are started side by side at the session's first
topology test, so that they boot while other tests run. A test that kills processes starts an
instance of its own (`killable`, test_killed_worker.py).

These tests choose their own databases (never the suite's DATABASE_URL): `make test` runs
them once, in a pass of their own (`make test-topology`), and leaves them out of its
SQLite and PostgreSQL passes (`-m "not topology"`). See docs/contributing.md.
"""

from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager

import pytest

# Chromium, driven as the browser tests drive it (one per module).
from tests.e2e.conftest import browser, new_page  # noqa: F401
from tests.support import SmtpSink

from .instances import DIGEST_HOUR, TOPOLOGIES, Instance, Templates


def topologies_used(session, fixture):
    """The topologies the collected tests ask of FIXTURE (a parametrized fixture)."""
    return {
        item.callspec.params[fixture]
        for item in session.items
        if fixture in getattr(getattr(item, "callspec", None), "params", {})
    }


@pytest.fixture(scope="session")
def templates(request, tmp_path_factory):
    """The prepared databases, all those the session's tests use started at once."""
    templates = Templates(tmp_path_factory.mktemp("topology-templates"))
    templates.start(
        topologies_used(request.session, "instance") | topologies_used(request.session, "killable")
    )
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


@pytest.fixture(scope="session")
def running(request, templates, tmp_path_factory):
    """`goingsolo run` on every topology the session's tests use, each started in a
    thread of its own: {topology: future of the Instance, once it answers}."""
    environment = {
        # The worker looks at its schedule every second.
        "GOINGSOLO_SCHEDULER_INTERVAL": "1",
        "GOINGSOLO_DIGEST_HOUR": str(DIGEST_HOUR),
    }
    with ExitStack() as stack, ThreadPoolExecutor(max_workers=len(TOPOLOGIES)) as pool:

        def start(topology):
            instance = stack.enter_context(
                instance_of(topology, templates, tmp_path_factory, environment=environment)
            )
            instance.run()
            instance.wait_until_idle()  # the jobs of the seeding
            return instance

        yield {
            topology: pool.submit(start, topology)
            for topology in sorted(topologies_used(request.session, "instance"))
        }
        # Leaving: every start ends (the pool), then every instance stops (the stack).


@pytest.fixture(scope="session", autouse=True)
def _start_early(request):
    """The instances start with the session's first topology test, whichever it is, so
    that they boot while a test that needs none of them runs."""
    if topologies_used(request.session, "instance"):
        request.getfixturevalue("running")


@pytest.fixture(scope="session", params=["sqlite", "postgres", "redis"])
def instance(request, running):
    """The instance of a topology, as `goingsolo run` starts it: web, worker and mail
    listener."""
    return running[request.param].result()

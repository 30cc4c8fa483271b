import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from goingsolo.mail.outbound.delivery import PreparedEmail
from tests.factories import GroupFactory
from tests.support import DNS_RECORDS_VARIABLE, DNS_RESOLVER, LocalDNS


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own folder, never in ./data."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GOINGSOLO_PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def local_dns(settings, tmp_path, monkeypatch):
    """No test asks a real DNS server: inbound mail authentication reads the records a test
    gives (tests/support.py). A process the test starts sees them with the environment of
    `local_dns.environment()`."""
    path = tmp_path / "dns-records.json"
    monkeypatch.setenv(DNS_RECORDS_VARIABLE, str(path))
    settings.GOINGSOLO_MAIL_DNS_RESOLVER = DNS_RESOLVER
    return LocalDNS(path)


@pytest.fixture(autouse=True)
def _fresh_language_and_time_zone():
    """Each test starts in English and UTC, whatever a previous request activated."""
    translation.activate("en")
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _every_email_goes_through_the_queue():
    """One way out: what reaches the transport (Django's locmem outbox under test) was sent
    by the outbound queue's worker, never handed to Django's email backend directly."""
    yield
    around = [m for m in getattr(mail, "outbox", []) if not isinstance(m, PreparedEmail)]
    assert not around, f"Sent around the outbound queue: {[m.subject for m in around]}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then, before it drops the PostgreSQL test database, ends the
    sessions still open on it: threads of the browser tests' servers and of the
    concurrency tests may keep a connection to the end, and PostgreSQL refuses to drop a
    database in use (a warning, and a database left behind on the server)."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def group(db):
    """A group named Going Solo, closed and joined by approval (the factory's defaults);
    a test that needs another kind makes it with `GroupFactory`."""
    return GroupFactory(name="Going Solo", slug="going-solo")

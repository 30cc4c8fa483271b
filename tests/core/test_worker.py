"""`goingsolo worker` is django-tasks' db_worker with the log levels of the settings, and
runs the schedule: real worker processes send a member's digest in their morning, once."""

import logging
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from goingsolo.core.management.commands.worker import Command
from goingsolo.core.models import ScheduledRun
from goingsolo.discussions import services as discussions
from goingsolo.groups.models import Membership
from tests.factories import GroupFactory, member_of
from tests.support import SmtpSink, database_url_for_processes, environment_of_an_instance

ROOT = Path(__file__).resolve().parents[2]
GOINGSOLO = Path(sys.executable).parent / "goingsolo"
DIGEST_HOUR = 7


@pytest.fixture
def task_loggers():
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    yield loggers
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_by_default_the_worker_logs_warnings_not_every_task(task_loggers):
    Command().configure_logging(1)
    assert [logger.getEffectiveLevel() for logger in task_loggers] == [logging.WARNING] * 2


def test_asked_for_more_the_worker_logs_every_task(task_loggers):
    Command().configure_logging(2)
    assert [logger.getEffectiveLevel() for logger in task_loggers] == [logging.DEBUG] * 2


# --- The schedule, run by real worker processes ----------------------------------------------


class WorkerProcess:
    """`goingsolo worker` in a process of its own on the test's database, its output kept."""

    def __init__(self, environment):
        self.lines = []
        self.process = subprocess.Popen(
            [str(GOINGSOLO), "worker"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_for_line(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process.poll() is None, f"the worker stopped:\n{self.output}"
            assert time.monotonic() < deadline, f"no {text!r} from the worker:\n{self.output}"
            time.sleep(0.05)

    def stop(self):
        """SIGTERM, as `goingsolo run` stops it; returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)
        return self.process.returncode


def zone_at(hours, *, besides=()):
    """A time zone where the hour is one of HOURS right now: the current UTC time picks it,
    so the test controls the members' local time without touching the clock. Named zones
    first; the Etc/GMT±N zones cover every whole offset should none be."""
    now = datetime.now(UTC)
    names = sorted(zoneinfo.available_timezones(), key=lambda name: (name.startswith("Etc/"), name))
    for hour in hours:
        for name in names:
            if name not in besides and now.astimezone(ZoneInfo(name)).hour == hour:
                return name
    raise AssertionError(f"no time zone is at {hours} o'clock now")


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_morning_digest_once_whatever_the_number_of_workers(
    tmp_path, settings
):
    settings.GOINGSOLO_MAIL_DOMAIN = "lists.example.org"
    morning = zone_at([DIGEST_HOUR])  # just past the digest hour
    night = zone_at([DIGEST_HOUR - 2])  # not yet
    group = GroupFactory(name="Going Solo", slug="going-solo")
    author = member_of(group, time_zone=night, email="author@example.org")
    sleeper = member_of(group, time_zone=night, email="sleeper@example.org")
    reader = member_of(group, time_zone=morning, email="reader@example.org")
    a_while_ago = timezone.now() - timedelta(days=2)
    Membership.objects.filter(group=group).update(joined_at=a_while_ago)
    discussions.thread_start(
        group=group,
        author=author,
        title="Mornings",
        body="How do you start your day?",
        created_at=timezone.now() - timedelta(hours=1),
    )
    sink = SmtpSink()
    sink.start()
    environment = environment_of_an_instance(leave_out=("EMAIL_",))
    environment.update(
        DATABASE_URL=database_url_for_processes(),
        # The suite's choices (a cache in memory…), but jobs in the database as in production.
        DJANGO_SETTINGS_MODULE="config.settings_test",
        GOINGSOLO_TASK_BACKEND="django_tasks_db.DatabaseBackend",
        GOINGSOLO_DATA_DIR=str(tmp_path / "data"),
        GOINGSOLO_SCHEDULER_INTERVAL="1",
        GOINGSOLO_DIGEST_HOUR=str(DIGEST_HOUR),
        GOINGSOLO_MAIL_DOMAIN=settings.GOINGSOLO_MAIL_DOMAIN,
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        SECRET_KEY=settings.SECRET_KEY,
        SITE_URL=settings.SITE_URL,
        LOG_LEVEL="INFO",
    )
    workers = []
    try:
        started = time.monotonic()
        workers.append(WorkerProcess(environment))
        sink.wait_for_count(1, timeout=60)
        arrived_after = time.monotonic() - started
        digest = sink.one_to(reader.email)
        assert str(digest["Subject"]) == "[Going Solo] Daily digest: 1 new post in 1 thread"
        assert "How do you start your day?" in digest.text()

        # A second worker on the same database, beside the first: each checks every second.
        workers.append(WorkerProcess(environment))
        workers[1].wait_for_line("The worker runs the schedule")
        time.sleep(3)
        assert workers[0].stop() == 0, workers[0].output
        # Someone whose morning has come joins (in another zone): the second worker, alone
        # now, sends their digest, so it does check the schedule; the reader's stays single.
        newcomer = member_of(
            group,
            time_zone=zone_at(range(DIGEST_HOUR, 24), besides={morning}),
            email="new@example.org",
        )
        Membership.objects.filter(user=newcomer).update(joined_at=a_while_ago)
        sink.wait_for_count(2, timeout=60)
        time.sleep(2)
    finally:
        outputs = [worker.output for worker in workers]
        for worker in workers:
            worker.stop()
        sink.stop()

    assert sorted(message.to for message in sink.received) == [newcomer.email, reader.email]
    assert sink.to(sleeper.email) == [] and sink.to(author.email) == []
    runs = ScheduledRun.objects.filter(entry="digests-daily").values_list(
        "slot", "status", "attempts"
    )
    assert sorted(runs) == sorted(
        [
            (slot_of(morning), "done", 1),
            (slot_of(newcomer.time_zone), "done", 1),
        ]
    ), runs
    assert all("Traceback" not in output for output in outputs), outputs
    print(f"the first digest arrived {arrived_after:.1f} s after the worker started")


def slot_of(zone):
    return f"{datetime.now(ZoneInfo(zone)).date().isoformat()} {zone}"

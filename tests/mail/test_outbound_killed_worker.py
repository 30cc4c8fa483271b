"""A worker killed (SIGKILL) in the middle of a batch, then started again: every member
gets the post exactly once. The kill lands while the server holds a message's DATA, before
its 250, so that message never arrived and no duplicate is expected."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from goingsolo.discussions import services as discussions
from goingsolo.mail.models import Delivery, OutboundEmail
from goingsolo.mail.outbound.queue import queue_post_emails
from goingsolo.mail.outbound.services import subscription_set_delivery
from tests.factories import GroupFactory, member_of

from .outbound_helpers import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
GOINGSOLO = Path(sys.executable).parent / "goingsolo"
MEMBERS = 24
KILL_AFTER = 9


@pytest.fixture
def queued(settings):
    """MEMBERS emails of one post, queued and committed; no job runs in this process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    group = GroupFactory(name="Going Solo", slug="going-solo")
    author = member_of(group)
    members = []
    for _ in range(MEMBERS):
        member = member_of(group)
        subscription_set_delivery(user=member, group=group, delivery=Delivery.EVERY)
        members.append(member)
    post = discussions.thread_start(group=group, author=author, title="Hello", body="Hi all").post
    assert queue_post_emails(post) == MEMBERS
    return members


def database_for_workers(tmp_path):
    """(DATABASE_URL a worker process can open, function reading (status, attempts) rows)."""
    if connection.vendor == "sqlite":
        # The test database lives in memory: copy it to a file for the workers.
        path = tmp_path / "worker.sqlite3"
        with sqlite3.connect(path) as target:
            connection.ensure_connection()
            connection.connection.backup(target)

        def rows():
            with sqlite3.connect(path) as db:
                return db.execute(
                    "SELECT status, attempts, in_flight FROM mail_outboundemail ORDER BY id"
                ).fetchall()

        return f"sqlite:///{path}", rows
    params = connection.settings_dict
    url = (
        f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )

    def rows():
        return list(
            OutboundEmail.objects.order_by("pk").values_list("status", "attempts", "in_flight")
        )

    return url, rows


def worker(database_url, sink, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "GOINGSOLO_", "PYTEST", "DJANGO_", "EMAIL_"))
    }
    env.update(
        DATABASE_URL=database_url,
        GOINGSOLO_DATA_DIR=str(tmp_path / "data"),
        GOINGSOLO_TASK_BACKEND="django_tasks.backends.dummy.DummyBackend",
        GOINGSOLO_MAIL_DOMAIN=settings.GOINGSOLO_MAIL_DOMAIN,
        GOINGSOLO_MAIL_LEASE_SECONDS="1",
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        SECRET_KEY=settings.SECRET_KEY,
        SITE_URL=settings.SITE_URL,
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [str(GOINGSOLO), "mail", "send-queued", "--batch", "5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_skips_nobody_and_sends_nothing_twice(queued, tmp_path):
    database_url, rows = database_for_workers(tmp_path)
    sink = SmtpSink(hold=0.15)
    sink.start()
    try:
        first = worker(database_url, sink, tmp_path)
        deadline = time.monotonic() + 30
        while not (len(sink.received) >= KILL_AFTER and sink.holding.is_set()):
            assert first.poll() is None, first.stdout.read()
            assert time.monotonic() < deadline, "the worker did not get going"
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        time.sleep(0.3)  # the server notices the closed connection and drops that DATA

        delivered = len(sink.received)
        assert KILL_AFTER <= delivered < MEMBERS
        states = Counter(status for status, _attempts, _in_flight in rows())
        assert states["sent"] == delivered
        # One row was in flight: it may have reached the server, so it is known.
        assert sum(in_flight for _s, _a, in_flight in rows()) == 1

        time.sleep(1.2)  # the dead worker's lease expires
        sink.hold = 0
        second = worker(database_url, sink, tmp_path)
        output, _ = second.communicate(timeout=60)
        assert second.returncode == 0, output
    finally:
        sink.stop()

    per_member = Counter(message.to for message in sink.received)
    assert set(per_member) == {member.email for member in queued}
    assert set(per_member.values()) == {1}, per_member
    message_ids = Counter((m.to, str(m["Message-ID"])) for m in sink.received)
    assert set(message_ids.values()) == {1}
    final = rows()
    assert {status for status, _a, _f in final} == {"sent"}
    # The message in flight was sent again (its second attempt); the others once.
    assert sorted(attempts for _s, attempts, _f in final)[-2:] == [1, 2]
    assert sum(attempts for _s, attempts, _f in final) == MEMBERS + 1

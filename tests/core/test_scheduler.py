"""The worker's schedule: each entry runs once per slot, however many workers check it; an
entry that fails is logged and runs again at the next check, and the others run anyway.
The clock is a parameter (`now`): nothing here sleeps."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from goingsolo.accounts.sessions import SessionStore
from goingsolo.core import scheduler
from goingsolo.core.models import ScheduledRun

NOW = datetime(2026, 12, 7, 17, 21, 30, tzinfo=UTC)


@pytest.fixture
def entries():
    """Registers test entries for the test only; yields a function that adds one."""
    added = []

    def add(name, run, due=None):
        added.append(name)
        return scheduler.register(
            scheduler.Entry(name=name, due=due or scheduler.every(timedelta(minutes=10)), run=run)
        )

    yield add
    for name in added:
        scheduler._entries.pop(name, None)


def test_every_names_the_same_slot_for_the_whole_period_on_every_worker():
    every_ten = scheduler.every(timedelta(minutes=10))
    assert every_ten(NOW) == ["2026-12-07T17:20"]
    assert every_ten(NOW.replace(minute=29, second=59)) == ["2026-12-07T17:20"]
    assert every_ten(NOW.replace(minute=30, second=0)) == ["2026-12-07T17:30"]
    daily = scheduler.every(timedelta(days=1))
    assert daily(NOW) == ["2026-12-07T00:00"]


@pytest.mark.django_db
def test_an_entry_runs_once_per_slot_and_again_in_the_next(entries):
    runs = []
    entries("tidy", lambda *, now, slots: runs.append((now, slots)) or "tidied")

    [outcome] = scheduler.run_due(now=NOW, names=["tidy"])
    assert outcome.ok and outcome.result == "tidied"
    assert scheduler.run_due(now=NOW + timedelta(minutes=1), names=["tidy"]) == []
    scheduler.run_due(now=NOW + timedelta(minutes=10), names=["tidy"])

    assert [slots for _now, slots in runs] == [["2026-12-07T17:20"], ["2026-12-07T17:30"]]
    run = ScheduledRun.objects.get(entry="tidy", slot="2026-12-07T17:20")
    assert (run.status, run.attempts, run.outcome) == ("done", 1, "tidied")


@pytest.mark.django_db(transaction=True)
def test_two_workers_checking_at_once_run_each_slot_once(entries):
    """Two threads, each with its own database connection, check the same slot at the same
    moment: one inserts the claim and runs it, the other finds it taken."""
    runs = []
    entries("tidy", lambda *, now, slots: runs.append(slots) or "tidied")
    start = threading.Barrier(2)
    outcomes = {}

    def worker(name):
        try:
            start.wait(timeout=10)
            outcomes[name] = scheduler.run_due(now=NOW, names=["tidy"], worker=name)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert runs == [["2026-12-07T17:20"]]
    assert sorted(len(found) for found in outcomes.values()) == [0, 1]
    assert ScheduledRun.objects.get(entry="tidy").worker in outcomes


@pytest.mark.django_db
def test_a_failing_entry_is_logged_does_not_stop_the_others_and_runs_again(entries, caplog):
    calls = []

    def flaky(*, now, slots):
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("the mail server is on fire")
        return "recovered"

    others = []
    entries("flaky", flaky)
    entries("steady", lambda *, now, slots: others.append(now) or "fine")

    first = scheduler.run_due(now=NOW, names=["flaky", "steady"])

    assert [(outcome.entry, outcome.ok) for outcome in first] == [
        ("flaky", False),
        ("steady", True),
    ]
    assert "RuntimeError: the mail server is on fire" in caplog.text
    assert "Traceback" in caplog.text
    failed = ScheduledRun.objects.get(entry="flaky")
    assert failed.status == "failed" and "the mail server is on fire" in failed.outcome

    # The next check, in the same slot: the failed entry runs again, the other does not.
    second = scheduler.run_due(now=NOW + timedelta(minutes=1), names=["flaky", "steady"])
    assert [(outcome.entry, outcome.result) for outcome in second] == [("flaky", "recovered")]
    assert len(others) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.outcome) == ("done", 2, "recovered")


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_taken_again_after_the_lease(entries):
    runs = []
    # A slot that stays due (as a day's digest does), claimed by a worker that then died.
    entries("tidy", lambda *, now, slots: runs.append(now) or "tidied", due=lambda now: ["day"])
    ScheduledRun.objects.create(entry="tidy", slot="day", started_at=NOW, worker="dead")

    # It may still be running: left alone.
    assert scheduler.run_due(now=NOW + timedelta(minutes=5), names=["tidy"]) == []
    later = NOW + scheduler.RUN_LEASE + timedelta(seconds=1)
    [outcome] = scheduler.run_due(now=later, names=["tidy"])

    assert outcome.ok and runs == [later]
    assert ScheduledRun.objects.get(entry="tidy").attempts == 2


@pytest.mark.django_db
def test_expired_sessions_are_deleted_and_current_ones_kept():
    expired = SessionStore()
    expired["member"] = 1
    expired.set_expiry(-60)
    expired.create()
    current = SessionStore()
    current["member"] = 2
    current.create()

    [outcome] = scheduler.run_due(now=timezone.now(), names=["expired-sessions"])

    assert outcome.ok
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


@pytest.mark.django_db
def test_the_schedule_forgets_runs_older_than_its_history():
    old = ScheduledRun.objects.create(
        entry="tidy", slot="old", started_at=NOW - scheduler.HISTORY - timedelta(days=1)
    )
    recent = ScheduledRun.objects.create(entry="tidy", slot="recent", started_at=NOW)

    scheduler.run_due(now=NOW, names=["schedule-history"])

    remaining = set(ScheduledRun.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and recent.pk in remaining


def test_every_feature_registers_its_entries():
    assert {entry.name for entry in scheduler.entries()} >= {
        "digests-daily",
        "digests-weekly",
        "event-reminders",
        "inbound-catch-up",
        "outbound-safety-net",
        "expired-sessions",
        "schedule-history",
    }

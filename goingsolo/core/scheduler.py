"""The schedule: the periodic work of an instance, run by `goingsolo worker` itself.

Digests in each member's morning, event reminders, the catch-up of inbound mail, the
outbound queue's safety net, expired sessions: each feature registers its entries at
start-up (its `schedule.py`, imported by its AppConfig.ready), as it registers tabs and
sections, so core knows none of them. docs/operating.md ("Schedule") has the table.

A check (every GOINGSOLO_SCHEDULER_INTERVAL seconds, in a thread of each worker, see
`ScheduleThread`; or one `run_due` from a cron command):
1. each entry says which slots are due at NOW: the current period of a periodic entry
   ("2026-12-03T17:20" for one every ten minutes, see `every`), or for digests one slot
   per time zone whose morning has come ("2026-12-03 Europe/Zurich");
2. each slot not done yet is claimed by inserting its ScheduledRun row, unique per
   (entry, slot): one worker inserts it, the others get an IntegrityError and leave it.
   A failed run, or one still "running" after RUN_LEASE (its worker died), is taken again
   by a guarded UPDATE, which one worker wins. The same statements on SQLite and
   PostgreSQL;
3. the entry runs once with the slots it claimed; their rows become "done", or "failed"
   with the traceback (also logged), and a failed slot is claimed again at the next check
   while it is due. One entry's failure does not stop the others.

Entries must be safe to run again: a worker that dies mid-run is replaced after the lease,
and a clock set back may find a slot it has forgotten. Each is, by its own idempotency
(digest keys per member and local date, reminder claims per seat, the queue's claims).

NOW is a parameter all along, so tests drive the schedule with any clock.
"""

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import import_module
from secrets import token_hex

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)

Status = ScheduledRun.Status

# A run still "running" after this long is taken to be a dead worker's, and runs again.
RUN_LEASE = timedelta(minutes=30)
# Rows of runs older than this are deleted (the `schedule-history` entry): slots that old
# are never due again.
HISTORY = timedelta(days=30)
# Periods start on a Monday at midnight UTC: a daily slot is a UTC date, a weekly one
# starts on Monday.
EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    """NAME, DUE(now) → the slots due at NOW (strings of at most 100 characters), and
    RUN(now=…, slots=…) → what it did (its str() is kept on the rows)."""

    name: str
    due: Callable
    run: Callable


_entries = {}


def register(entry):
    """Adds ENTRY (or replaces the entry of the same name: ready() may run twice in tests)."""
    _entries[entry.name] = entry
    return entry


def entries(names=None):
    """The registered entries, in the order they were registered; NAMES chooses some."""
    if names is None:
        return list(_entries.values())
    unknown = set(names) - set(_entries)
    if unknown:
        raise KeyError(f"No schedule entry named {', '.join(sorted(unknown))}")
    return [entry for entry in _entries.values() if entry.name in names]


def every(period):
    """A DUE function for an entry run once per PERIOD (a timedelta of at least a minute).
    Slots are aligned on the clock (every ten minutes: at :00, :10…), so every worker
    names the same one."""

    def due(now):
        start = EPOCH + (now - EPOCH) // period * period
        # A slot's name, not a date for people: UTC, to the minute ("2026-12-07T17:20").
        return [start.replace(tzinfo=None).isoformat(timespec="minutes")]

    return due


def worker_name():
    """Who claims, as the rows show it: host, process and a token of this scheduler."""
    return f"{socket.gethostname()}:{os.getpid()}:{token_hex(3)}"


# --- Claims --------------------------------------------------------------------------------


def claim(entry, slot, *, now, worker):
    """True if WORKER now owns the run of ENTRY for SLOT, and must run it."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(entry=entry, slot=slot, worker=worker, started_at=now)
        return True
    except IntegrityError:
        pass
    # Someone had it: take it again only if it failed, or if its worker seems dead.
    again = Q(status=Status.FAILED) | Q(status=Status.RUNNING, started_at__lt=now - RUN_LEASE)
    taken = ScheduledRun.objects.filter(again, entry=entry, slot=slot).update(
        status=Status.RUNNING,
        worker=worker,
        started_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
    )
    return taken == 1


def _finish(entry, slots, *, worker, status, outcome):
    ScheduledRun.objects.filter(
        entry=entry, slot__in=slots, worker=worker, status=Status.RUNNING
    ).update(status=status, outcome=outcome[:20_000], finished_at=timezone.now())


# --- Checks --------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One entry's run at a check: the slots it ran for, what it did or its traceback."""

    entry: str
    slots: list = field(default_factory=list)
    result: object = None
    error: str = ""

    @property
    def ok(self):
        return not self.error

    def __str__(self):
        slots = ", ".join(self.slots)
        if self.error:
            return f"{self.entry} ({slots}) failed: {self.error.strip().splitlines()[-1]}"
        return f"{self.entry} ({slots}): {self.result}"


def run_due(*, now=None, names=None, worker=None):
    """Runs every entry (or those NAMES) for the slots due at NOW that no one has run yet.
    Returns the Outcomes of the entries that ran. Never raises for an entry's failure: it
    is logged with its traceback, kept on its rows, and runs again at the next check."""
    now = now or timezone.now()
    worker = worker or worker_name()
    outcomes = []
    for entry in entries(names):
        outcome = _check(entry, now, worker)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def _check(entry, now, worker):
    claimed = []
    try:
        slots = list(entry.due(now))
        if not slots:
            return None
        done = set(
            ScheduledRun.objects.filter(
                entry=entry.name, slot__in=slots, status=Status.DONE
            ).values_list("slot", flat=True)
        )
        for slot in slots:
            if slot not in done and claim(entry.name, slot, now=now, worker=worker):
                claimed.append(slot)
        if not claimed:
            return None
        result = entry.run(now=now, slots=claimed)
    except Exception:
        error = traceback.format_exc()
        logger.exception(
            "The scheduled %s (%s) failed; it runs again at the next check.",
            entry.name,
            ", ".join(claimed) or "before claiming",
        )
        try:
            _finish(entry.name, claimed, worker=worker, status=Status.FAILED, outcome=error)
        except Exception:  # the database itself failing: the lease brings the slots back
            logger.exception("Could not record the failure of %s.", entry.name)
        return Outcome(entry.name, claimed, error=error)
    try:
        _finish(entry.name, claimed, worker=worker, status=Status.DONE, outcome=str(result or ""))
    except Exception:  # it ran: at worst it runs again after the lease, which entries allow
        logger.exception("Could not record the run of %s.", entry.name)
    logger.debug("Scheduled %s (%s): %s", entry.name, ", ".join(claimed), result)
    return Outcome(entry.name, claimed, result=result)


class ScheduleThread(threading.Thread):
    """Checks the schedule every INTERVAL seconds beside the worker's job loop.

    A thread rather than a check between jobs: a long job (ten thousand emails) then
    delays no digest, and the job loop stays django-tasks' own. A daemon: a worker that is
    stopped waits for the entry in hand a few seconds (`stop`), then goes; a run it leaves
    unfinished is taken again after RUN_LEASE.
    """

    def __init__(self, *, interval, worker=None):
        super().__init__(name="goingsolo-schedule", daemon=True)
        self.interval = interval
        self.worker = worker or worker_name()
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.is_set():
                close_old_connections()
                try:
                    run_due(worker=self.worker)
                except Exception:  # the database not answering: try again next time
                    logger.exception(
                        "The schedule check failed; trying again in %g s.", self.interval
                    )
                close_old_connections()
                self.stopping.wait(self.interval)
        finally:
            connections.close_all()

    def stop(self, timeout=5.0):
        self.stopping.set()
        self.join(timeout)


# --- Core's own entries --------------------------------------------------------------------


def clear_expired_sessions(*, now, slots):
    """What `goingsolo clearsessions` does: deletes the sessions that have expired."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return "expired sessions deleted"


def forget_old_runs(*, now, slots):
    """Deletes the schedule's rows older than HISTORY."""
    deleted, _ = ScheduledRun.objects.filter(started_at__lt=now - HISTORY).delete()
    return f"{deleted} old runs forgotten"


register(Entry(name="expired-sessions", due=every(timedelta(days=1)), run=clear_expired_sessions))
register(Entry(name="schedule-history", due=every(timedelta(days=1)), run=forget_old_runs))

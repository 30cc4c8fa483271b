"""Jobs that survive a killed worker.

django-tasks' database worker marks a job RUNNING when it claims it, and nothing looks at
it again: a worker killed in the middle of a job (SIGKILL, out of memory, a deploy) would
leave it RUNNING for ever — a reply by email never posted, a digest never sent.

So each `goingsolo worker` holds a lease (a `WorkerLease` row) that a thread of its own
renews every quarter of GOINGSOLO_WORKER_LEASE_SECONDS. The jobs RUNNING under a worker
whose lease has expired go back to READY, and the next worker runs them again: every worker
looks for them when it starts and once per lease period. A job whose workers died
MAX_CLAIMS times is marked FAILED instead (a job that kills its worker would otherwise kill
every worker in turn).

A job may therefore run twice, and each is written to be safe when it does
(docs/operating.md, "When a worker dies").
"""

import atexit
import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerLease

logger = logging.getLogger(__name__)

# Claims of one job by workers that died before it fails for good.
MAX_CLAIMS = 5
# Leases unrenewed for this long are only history: deleted.
FORGOTTEN_AFTER = timedelta(days=1)


class WorkerDied(Exception):
    """Recorded on a job whose workers died MAX_CLAIMS times while running it."""


def lease_duration():
    return timedelta(seconds=settings.GOINGSOLO_WORKER_LEASE_SECONDS)


def renew(worker_id, *, now=None):
    """WORKER_ID is alive: its lease runs one more period from NOW."""
    WorkerLease.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "renewed_at": now or timezone.now(),
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def release(worker_id):
    """WORKER_ID stops cleanly: it holds no lease (and runs no job) any more."""
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def recover(*, now=None):
    """Puts the RUNNING jobs of workers whose lease has expired back in the queue (READY),
    or marks them FAILED once MAX_CLAIMS workers died running them. Returns (requeued,
    failed). Each job changes only if it is still as read (running, same claim), so a
    job claimed or finished meanwhile is left alone."""
    now = now or timezone.now()
    expired = now - lease_duration()
    alive = set(
        WorkerLease.objects.filter(renewed_at__gte=expired).values_list("worker_id", flat=True)
    )
    requeued = failed = 0
    # A job claimed less than a lease period ago may belong to a worker that has not
    # renewed yet, whatever its lease says: it waits for the next look.
    running = DBTaskResult.objects.running().filter(started_at__lt=expired)
    for job in running.only("id", "task_path", "worker_ids", "started_at"):
        worker = job.worker_ids[-1] if job.worker_ids else ""
        if worker in alive:
            continue
        unchanged = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        )
        if len(job.worker_ids) >= MAX_CLAIMS:
            failed += unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{__name__}.{WorkerDied.__qualname__}",
                traceback=f"The workers running this job died {len(job.worker_ids)} times "
                f"(the last one: {worker}).",
            )
            logger.error(
                "Job %s (%s) failed: %d workers died running it.",
                job.pk,
                job.task_path,
                len(job.worker_ids),
            )
            continue
        if unchanged.update(status=TaskResultStatus.READY, started_at=None):
            requeued += 1
            logger.warning(
                "Job %s (%s) goes back to the queue: its worker %s died.",
                job.pk,
                job.task_path,
                worker or "(unknown)",
            )
    WorkerLease.objects.filter(renewed_at__lt=now - FORGOTTEN_AFTER).delete()
    return requeued, failed


def keep_alive(worker_id):
    """Takes WORKER_ID's lease and recovers dead workers' jobs now, then, from a daemon
    thread, renews the lease every quarter period and recovers once per period, for as
    long as the process lives; the lease is released at a clean exit."""
    renew(worker_id)
    recover()
    atexit.register(_release_quietly, worker_id)
    thread = threading.Thread(
        target=_keep_alive, args=(worker_id,), name="goingsolo-worker-lease", daemon=True
    )
    thread.start()
    return thread


def _keep_alive(worker_id):
    period = settings.GOINGSOLO_WORKER_LEASE_SECONDS
    beat = period / 4
    beats_per_recovery = 4
    count = 0
    pause = threading.Event()  # never set: wait() is a sleep
    while True:
        pause.wait(beat)
        count += 1
        try:
            # This thread has its own database connection: checked like the worker's own.
            close_old_connections()
            renew(worker_id)
            if count % beats_per_recovery == 0:
                recover()
        except Exception:
            # The database is away (or locked for longer than its timeout): try again at
            # the next beat. Were it away for a whole period, other workers would take
            # this one's job back and run it too — which jobs are written to survive.
            logger.exception("Worker %s could not renew its lease.", worker_id)


def _release_quietly(worker_id):
    try:
        release(worker_id)
    except Exception:  # exiting anyway; the lease expires by itself
        logger.warning("Worker %s could not release its lease.", worker_id)

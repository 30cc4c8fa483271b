"""`goingsolo worker`: django-tasks' database worker, quieter, running the schedule, and
whose jobs survive it.

db_worker sets its loggers to INFO at the default verbosity: a line per task run (a
thousand at an instance's first start, with the demo) buries everything else `goingsolo
run` prints. At verbosity 1 this keeps the levels of settings.LOGGING (warnings and errors
by default, `TASKS_LOG_LEVEL` to change them); -v 0 and -v 2 work as in db_worker.

Beside the job loop a thread checks the schedule every GOINGSOLO_SCHEDULER_INTERVAL seconds
(goingsolo/core/scheduler.py: digests in each member's morning, reminders, the mail's
catch-up, expired sessions). Every worker runs it; claims in the database make each run
happen once. GOINGSOLO_SCHEDULER_INTERVAL=0 leaves the schedule to cron.

The worker holds a lease while it lives; the jobs of workers that died go back to the
queue (goingsolo/core/jobs.py).
"""

import logging
import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from goingsolo.core import jobs, scheduler

logger = logging.getLogger("goingsolo.core.scheduler")


class Command(DatabaseWorkerCommand):
    help = (
        "Runs the background jobs and the schedule (warnings and errors only unless -v 2 or "
        "TASKS_LOG_LEVEL)."
    )

    def configure_logging(self, verbosity):
        if verbosity != 1:
            super().configure_logging(verbosity)

    def handle(self, *args, **options):
        jobs.keep_alive(options["worker_id"])
        schedule = None
        interval = settings.GOINGSOLO_SCHEDULER_INTERVAL
        # With --reload the first process only watches files and restarts the one that
        # works; with --batch the worker exits once the queue is empty.
        watcher = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if interval and not options.get("batch") and not watcher:
            schedule = scheduler.ScheduleThread(interval=interval)
            logger.info(
                "The worker runs the schedule, checked every %g s: %s.",
                interval,
                ", ".join(entry.name for entry in scheduler.entries()),
            )
            schedule.start()
        try:
            super().handle(*args, **options)
        finally:
            if schedule is not None:
                schedule.stop()

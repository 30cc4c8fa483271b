"""`goingsolo worker`: django-tasks' database worker, quieter, and whose jobs survive it.

db_worker sets its loggers to INFO at the default verbosity: a line per task run (a
thousand at an instance's first start, with the demo) buries everything else `goingsolo
run` prints. At verbosity 1 this keeps the levels of settings.LOGGING (warnings and errors
by default, `TASKS_LOG_LEVEL` to change them); -v 0 and -v 2 work as in db_worker.

The worker holds a lease while it lives; the jobs of workers that died go back to the
queue (goingsolo/core/jobs.py).
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from goingsolo.core import jobs


class Command(DatabaseWorkerCommand):
    help = "Runs the background jobs (warnings and errors only unless -v 2 or TASKS_LOG_LEVEL)."

    def configure_logging(self, verbosity):
        if verbosity != 1:
            super().configure_logging(verbosity)

    def handle(self, *args, **options):
        jobs.keep_alive(options["worker_id"])
        super().handle(*args, **options)

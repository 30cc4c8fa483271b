"""`goingsolo events ACTION …`: events from the command line.

goingsolo events send-reminders    queues the reminder of every seat at an event that
                                   starts in the next 24 hours and was not reminded
                                   yet. Idempotent: run it from cron every few minutes.
"""

from django.core.management.base import BaseCommand

from goingsolo.events.services import reminders_queue


class Command(BaseCommand):
    help = "Events: send-reminders queues the reminders of events starting within 24 hours."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "send-reminders",
            help="queue the reminders of seats at events starting within 24 hours (idempotent)",
        )

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_send_reminders(self, **options):
        count = reminders_queue()
        self.stdout.write(f"{count} reminder(s) queued.")

"""The outbound actions of `goingsolo mail` (added to the command in commands/mail.py).

goingsolo mail send-queued [--batch N] [--limit N]
    sends every due email from the queue and exits (the worker does the same as a job;
    run this from cron as a safety net, or by hand)
goingsolo mail send-digests --daily | --weekly
    queues the digests of every group (cron: once a day, once a week)
goingsolo mail purge-sent [--days 30]
    deletes sent, failed and cancelled emails older than that
"""

import time

from django.core.management.base import CommandError
from django.utils.dateparse import parse_datetime

from goingsolo.mail import delivery, digests


def add_parsers(actions):
    send = actions.add_parser("send-queued", help="send the emails waiting in the queue")
    send.add_argument("--batch", type=int, default=None, help="emails claimed at a time")
    send.add_argument("--limit", type=int, default=None, help="stop after this many")
    send.add_argument(
        "--now", default=None, help="treat this ISO time as now when choosing what is due"
    )
    digest = actions.add_parser("send-digests", help="queue the daily or weekly digests")
    which = digest.add_mutually_exclusive_group(required=True)
    which.add_argument("--daily", action="store_const", const="daily", dest="frequency")
    which.add_argument("--weekly", action="store_const", const="weekly", dest="frequency")
    purge = actions.add_parser("purge-sent", help="delete old sent, failed and cancelled emails")
    purge.add_argument("--days", type=int, default=30)


def handle_send_queued(command, *, batch, limit, now, **options):
    when = None
    if now:
        when = parse_datetime(now)
        if when is None:
            raise CommandError(f"--now must be an ISO date and time (got {now!r}).")
    report = delivery.send_due(batch_size=batch, limit=limit, now=when)
    command.stdout.write(str(report))


def handle_send_digests(command, *, frequency, verbosity=1, **options):
    started = time.monotonic()

    def progress(done, total, group):
        if verbosity > 1:
            command.stderr.write(f"{group.slug}: {done}/{total} members")

    report = digests.queue_digests(frequency=frequency, progress=progress)
    command.stdout.write(f"{report} in {time.monotonic() - started:.1f} s")


def handle_purge_sent(command, *, days, **options):
    emails, parts = delivery.purge_sent(older_than_days=days)
    command.stdout.write(f"{emails} emails and {parts} shared parts deleted")

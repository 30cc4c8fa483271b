"""The outbound actions of `goingsolo mail` (added to the command in commands/mail.py).

goingsolo mail send-queued [--batch N] [--limit N]
    sends every due email from the queue and exits (the worker does the same as a job, and
    its schedule every ten minutes as a safety net; or run this from cron, or by hand)
goingsolo mail send-digests --daily | --weekly
    queues the digests due now: those of members whose morning (GOINGSOLO_DIGEST_HOUR in
    their time zone) has come and who had none yet today (this week). The worker's
    schedule does it; from cron, run it every hour. Both share one claim per time zone and
    day, so the two together still send each digest once.
goingsolo mail purge-sent [--days 30]
    deletes sent, failed and cancelled emails older than that
"""

import time

from django.core.management.base import CommandError
from django.utils.dateparse import parse_datetime

from goingsolo.core import scheduler
from goingsolo.mail.outbound import delivery


def add_parsers(actions):
    send = actions.add_parser("send-queued", help="send the emails waiting in the queue")
    send.add_argument("--batch", type=int, default=None, help="emails claimed at a time")
    send.add_argument("--limit", type=int, default=None, help="stop after this many")
    send.add_argument(
        "--now", default=None, help="treat this ISO time as now when choosing what is due"
    )
    digest = actions.add_parser(
        "send-digests", help="queue the daily or weekly digests due in members' mornings"
    )
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


def handle_send_digests(command, *, frequency, **options):
    started = time.monotonic()
    outcomes = scheduler.run_due(names=[f"digests-{frequency}"])
    for outcome in outcomes:
        command.stdout.write(str(outcome))
    if not outcomes:
        command.stdout.write(f"No {frequency} digest is due now.")
    command.stdout.write(f"in {time.monotonic() - started:.1f} s")
    if any(not outcome.ok for outcome in outcomes):
        raise CommandError("Queueing the digests failed; the traceback is logged above.")


def handle_purge_sent(command, *, days, **options):
    emails, parts = delivery.purge_sent(older_than_days=days)
    command.stdout.write(f"{emails} emails and {parts} shared parts deleted")

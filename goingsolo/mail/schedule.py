"""The mail's entries in the worker's schedule (goingsolo/core/scheduler.py; the table is in
docs/operating.md, "Schedule"). The commands that cron may run instead call the same
functions: `goingsolo mail send-digests`, `mail process`, `mail send-queued`.

- `digests-daily`, `digests-weekly`: each member's digest in their own morning, at
  GOINGSOLO_DIGEST_HOUR in their time zone; one slot per time zone and local date (ISO week).
- `inbound-catch-up`: messages whose processing job was lost are processed, and those whose
  sender did not confirm them in time are rejected.
- `outbound-safety-net`: what waits in the outbound queue is sent, should its delivery job
  have been lost (the job normally sends everything at once).
"""

from datetime import timedelta

from goingsolo.core import scheduler

from .inbound.routing import inbound_expire_unconfirmed, inbound_process_pending
from .outbound import delivery, digests


def _digest_entry(frequency):
    def due(now):
        return digests.due_slots(frequency=frequency, now=now)

    def run(*, now, slots):
        return digests.queue_digests(
            frequency=frequency, now=now, time_zones=digests.zones_of(slots)
        )

    return scheduler.Entry(name=f"digests-{frequency}", due=due, run=run)


def catch_up_inbound():
    """Processes the messages left unprocessed (a lost job) and rejects those their sender
    did not confirm in time; returns (processed, rejected)."""
    return inbound_process_pending(), inbound_expire_unconfirmed()


def _catch_up_inbound(*, now, slots):
    processed, expired = catch_up_inbound()
    return f"{processed} messages processed, {expired} not confirmed by their sender in time"


def _send_queued(*, now, slots):
    # The real clock, not the check's NOW: what is due is the queue's business.
    return delivery.send_due()


scheduler.register(_digest_entry("daily"))
scheduler.register(_digest_entry("weekly"))
scheduler.register(
    scheduler.Entry(
        name="inbound-catch-up",
        due=scheduler.every(timedelta(minutes=5)),
        run=_catch_up_inbound,
    )
)
scheduler.register(
    scheduler.Entry(
        name="outbound-safety-net",
        due=scheduler.every(timedelta(minutes=10)),
        run=_send_queued,
    )
)

"""Moderation's entry in the worker's schedule (goingsolo/core/scheduler.py; the table is in
docs/operating.md, "Schedule").

- `review-alerts`: the emails to moderators held back by the hour (`alerts.send_pending`).
"""

from datetime import timedelta

from goingsolo.core import scheduler

from . import alerts


def _send_pending(*, now, slots):
    return f"{alerts.send_pending(now=now)} moderators emailed"


scheduler.register(
    scheduler.Entry(
        name="review-alerts", due=scheduler.every(timedelta(minutes=5)), run=_send_pending
    )
)

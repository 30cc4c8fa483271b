"""The events' entry in the worker's schedule (goingsolo/core/scheduler.py; the table is in
docs/operating.md, "Schedule"): `event-reminders`, every ten minutes, queues the reminder of
every seat at an event starting within 24 hours, as `goingsolo events send-reminders` does
from cron. Each seat is claimed once (`reminders_queue`), so runs may overlap."""

from datetime import timedelta

from goingsolo.core import scheduler

from .services import reminders_queue


def _send_reminders(*, now, slots):
    return f"{reminders_queue(now=now)} reminders queued"


scheduler.register(
    scheduler.Entry(
        name="event-reminders", due=scheduler.every(timedelta(minutes=10)), run=_send_reminders
    )
)

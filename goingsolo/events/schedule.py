"""The events' entry in the worker's schedule (goingsolo/core/scheduler.py; the table is in
docs/operating.md, "Schedule"): `event-reminders`, every ten minutes, queues the reminder of
every seat at an event starting within 24 hours, as `goingsolo events send-reminders` does
from cron. Each seat is claimed once (`reminders_queue`), so runs may overlap.
`interest-check-reminders`, every ten minutes, reminds those who have not answered a
"would you come?" that closes within 48 hours, and closes the checks whose time is up
(`interest_check_reminders_queue`, each check claimed once)."""

from datetime import timedelta

from goingsolo.core import scheduler

from .services import interest_check_reminders_queue, reminders_queue


def _send_reminders(*, now, slots):
    return f"{reminders_queue(now=now)} reminders queued"


scheduler.register(
    scheduler.Entry(
        name="event-reminders", due=scheduler.every(timedelta(minutes=10)), run=_send_reminders
    )
)


def _remind_checks(*, now, slots):
    return f"{interest_check_reminders_queue(now=now)} members reminded of interest checks"


scheduler.register(
    scheduler.Entry(
        name="interest-check-reminders",
        due=scheduler.every(timedelta(minutes=10)),
        run=_remind_checks,
    )
)

"""Jobs: thin adapters over `push`."""

import logging

from django.conf import settings
from django_tasks import default_task_backend, task

from . import push

logger = logging.getLogger(__name__)


@task()
def push_notifications(*, notification_ids, only=None, attempt=1):
    """Sends NOTIFICATION_IDS to their recipients' devices (or the pairs ONLY, on a retry);
    what a push service refused for now is tried again later, up to
    GOINGSOLO_PUSH_MAX_ATTEMPTS tries, by a deferred job."""
    report = push.deliver(notification_ids=notification_ids, only=only)
    if not report.retry:
        return
    if attempt >= settings.GOINGSOLO_PUSH_MAX_ATTEMPTS or not default_task_backend.supports_defer:
        logger.warning(
            "Push: %d messages not delivered after %d tries.", len(report.retry), attempt
        )
        return
    push_notifications.using(run_after=push.retry_at(attempt, report)).enqueue(
        notification_ids=sorted({pair[0] for pair in report.retry}),
        only=report.retry,
        attempt=attempt + 1,
    )

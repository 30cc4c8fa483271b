"""The job that processes a stored inbound message: a thin adapter over routing.

The emails the processing sends have their jobs beside them (refusals.py,
confirmations.py)."""

from django_tasks import task

from .routing import inbound_process


@task()
def process_inbound_message(*, message_pk):
    """Posts, holds, refuses or files a stored inbound message (see inbound_process)."""
    inbound_process(message_pk)

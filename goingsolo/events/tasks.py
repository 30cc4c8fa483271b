"""Jobs: thin adapters that load rows and send what the services decided."""

from django_tasks import task

from goingsolo.core.emails import job_key

from . import emails, search_index


@task(takes_context=True)
def send_registration_email(context, *, registration_id, name, extra):
    """Sends message NAME about one registration, in the member's language and time zone
    (into the outbound queue, once per job however often the job runs)."""
    emails.send_registration_email(
        registration_id=registration_id, name=name, extra=extra, idempotency_key=job_key(context)
    )


@task()
def threshold_reached(*, check_id):
    """Tells the organiser and everyone who said yes that an interest check reached its
    threshold."""
    emails.send_threshold_reached(check_id=check_id)


@task()
def index_event(*, event_id):
    """Brings the search index up to date for one event."""
    search_index.index_event_by_id(event_id)

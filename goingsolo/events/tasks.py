"""Jobs: thin adapters that load rows and send what the services decided."""

from django_tasks import task

from goingsolo.core.emails import job_key

from . import emails, notifications, search_index


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
def interest_check_announced(*, check_id):
    """Tells every member of the check's group in the app (and so on their devices)."""
    notifications.notify_check_opened(check_id=check_id)


@task()
def interest_check_reminded(*, check_id, user_ids):
    """Reminds USER_IDS in the app that the check closes soon and they have not answered."""
    notifications.notify_check_closing(check_id=check_id, user_ids=user_ids)


@task()
def send_check_reminders(*, check_id, user_ids):
    """Emails USER_IDS (those of them who get email) that the check closes soon."""
    emails.send_check_reminders(check_id=check_id, user_ids=user_ids)


@task()
def interest_answer_confirm(*, answer_id):
    """Confirms by email an answer that came by email."""
    emails.send_answer_confirmation(answer_id=answer_id)


@task()
def index_event(*, event_id):
    """Brings the search index up to date for one event."""
    search_index.index_event_by_id(event_id)

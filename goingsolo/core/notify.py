import uuid

from django.db import transaction

from goingsolo.core.tasks import send_address_email, send_member_email


def email_member_on_commit(user, name, context):
    """Queues message NAME for USER once the current transaction commits.

    Nothing is sent for a change that is rolled back. The job, stored in the database,
    renders the message in the member's language and puts it in the outbound queue, which
    sends it with retries; the key it carries, made here, keeps a job run twice from
    queueing two emails.
    """
    key = _new_key()
    transaction.on_commit(
        lambda: send_member_email.enqueue(
            user_id=user.pk, name=name, context=context, idempotency_key=key
        )
    )


def email_address_on_commit(address, language, name, context):
    """Queues message NAME for ADDRESS, in LANGUAGE, once the current transaction commits."""
    key = _new_key()
    transaction.on_commit(
        lambda: send_address_email.enqueue(
            address=address, language=language, name=name, context=context, idempotency_key=key
        )
    )


def _new_key():
    return f"notify:{uuid.uuid4().hex}"

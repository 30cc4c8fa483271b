from django.db import transaction

from goingsolo.core.tasks import send_address_email, send_member_email


def email_member_on_commit(user, name, context):
    """Queues message NAME for USER once the current transaction commits.

    Nothing is sent for a change that is rolled back, and the send survives a restart
    because the job is stored in the database.
    """
    transaction.on_commit(
        lambda: send_member_email.enqueue(user_id=user.pk, name=name, context=context)
    )


def email_address_on_commit(address, language, name, context):
    transaction.on_commit(
        lambda: send_address_email.enqueue(
            address=address, language=language, name=name, context=context
        )
    )

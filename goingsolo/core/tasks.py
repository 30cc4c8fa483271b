"""Jobs that send one email, rendered when they run (just after the change commits) in the
recipient's language, and stored in the outbound queue under the key the job was given
when the change was made: a job run again queues nothing more (docs/mailing-list.md,
"One way out")."""

from django.contrib.auth import get_user_model
from django_tasks import task

from goingsolo.core.emails import build_email


@task()
def send_member_email(*, user_id, name, context, idempotency_key=""):
    """Queues message NAME to a member, in their language and time zone.

    CONTEXT is JSON (tasks are stored): ids and plain values, not model instances.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    build_email(
        name,
        {**context, "recipient_name": user.name},
        to=user.email,
        language=user.preferred_language,
        time_zone=user.time_zone,
        member=user,
        idempotency_key=idempotency_key,
    ).send()


@task()
def send_address_email(*, address, language, name, context, idempotency_key=""):
    """Queues message NAME to an address that may not be a member yet (an invitation)."""
    build_email(
        name, context, to=address, language=language, idempotency_key=idempotency_key
    ).send()

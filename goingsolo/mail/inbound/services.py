"""The inbound side's writes that the listener, commands and views call: storing a message
as received, a moderator's decision on a held thread, a group's list settings.

A sender's confirmation of their own message is in confirmations.py, beside the reply
that confirms it by email."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Via
from goingsolo.groups import rules

from ..models import InboundMessage, ListSettings
from .outcomes import RECORDED_FIELDS
from .parsing import message_id_header, parse_message, without_nul
from .posting import attachments_argument, thread_title, title_from_body
from .tasks import process_inbound_message

logger = logging.getLogger(__name__)

Status = InboundMessage.Status


def inbound_store(*, raw, mail_from, recipients, client_address="", helo=""):
    """Stores a message as the listener received it; returns the InboundMessage.

    CLIENT_ADDRESS and HELO: the SMTP client's IP address and HELO name, when known (SPF
    checks them).

    Side effects: the processing job is enqueued. With the database job backend the job's
    row is written in the same transaction as the message: both or neither (the listener
    then answers 451 and the sending server retries), and one commit less. With any other
    backend, on commit; should that fail, the message stays "received" and
    `goingsolo mail process` picks it up.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    with transaction.atomic():
        message = InboundMessage.objects.create(
            mail_from=without_nul(mail_from or "")[:512],
            recipients=[without_nul(str(recipient))[:512] for recipient in recipients],
            client_address=without_nul(client_address or "")[:64],
            helo=without_nul(helo or "")[:255],
            message_id=message_id_header(raw),
            raw=raw,
            size=len(raw),
        )
        if _jobs_are_rows():
            _enqueue(message.pk)
        else:
            transaction.on_commit(lambda: _enqueue_or_log(message.pk))
    return message


def _jobs_are_rows():
    return isinstance(task_backends["default"], DatabaseBackend)


def _enqueue(message_pk):
    process_inbound_message.enqueue(message_pk=message_pk)


def _enqueue_or_log(message_pk):
    try:
        _enqueue(message_pk)
    except Exception:
        logger.exception("Could not enqueue the processing of inbound message %s", message_pk)


@transaction.atomic
def held_message_approve(*, message, by):
    """A moderator approves a held new thread: it is posted as its author, now.

    Returns the InboundMessage. Raises PermissionDenied for someone who may not moderate
    the group, ValidationError when the author may no longer post (the message is then
    rejected, with the reason in its note). Side effects: those of thread_start.
    """
    message = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("group", "author")
        .get(pk=message.pk)
    )
    if message.group is None or not rules.can(by, rules.Action.MODERATE, message.group):
        raise PermissionDenied(_("Only the group’s moderators can approve messages."))
    if message.status != Status.HELD:
        return message
    parsed = parse_message(bytes(message.raw))
    group = message.group
    message.decided_by = by
    message.processed_at = timezone.now()
    try:
        with transaction.atomic():
            if message.author is None or not rules.can(message.author, rules.Action.POST, group):
                raise ValidationError(_("The author is no longer a member of the group."))
            result = discussions.thread_start(
                group=group,
                author=message.author,
                title=thread_title(parsed.subject, group) or title_from_body(parsed.body_text),
                body=parsed.body_text,
                via=Via.EMAIL,
                message_id=parsed.message_id,
                **attachments_argument(parsed),
            )
    except ValidationError as error:
        message.status = Status.REJECTED
        message.note = "approved, but not posted: " + " ".join(error.messages)
        message.save(update_fields=[*RECORDED_FIELDS, "decided_by"])
        raise
    message.status = Status.PROCESSED
    message.note = f"approved by {by.pk}; new thread {result.post.thread_id}"
    message.thread = result.post.thread
    message.post = result.post
    message.save(update_fields=[*RECORDED_FIELDS, "decided_by"])
    return message


@transaction.atomic
def held_message_reject(*, message, by):
    """A moderator rejects a held new thread: nothing is posted, the message is kept.

    Side effects: none (the author is not told; the moderator may answer them directly).
    """
    message = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=message.pk)
    )
    if message.group is None or not rules.can(by, rules.Action.MODERATE, message.group):
        raise PermissionDenied(_("Only the group’s moderators can reject messages."))
    if message.status == Status.HELD:
        message.status = Status.REJECTED
        message.note = f"rejected by moderator {by.pk}"
        message.decided_by = by
        message.processed_at = timezone.now()
        message.save(update_fields=[*RECORDED_FIELDS, "decided_by"])
    return message


@transaction.atomic
def list_settings_update(*, group, by, hold_new_threads):
    """A group admin changes how the group's address behaves. Side effects: none."""
    if not rules.can(by, rules.Action.ADMINISTER, group):
        raise PermissionDenied(_("Only the group’s admins can change its email settings."))
    list_settings, _created = ListSettings.objects.get_or_create(group=group)
    list_settings.hold_new_threads = hold_new_threads
    list_settings.save()
    return list_settings

"""The mailing list listens to discussions, the wiki and events: each receiver only
enqueues a job (an interest check's reminder: to the members who get the group's email).

The signals are sent once the change has committed (goingsolo/discussions/signals.py,
goingsolo/wiki/signals.py).
"""

from goingsolo.discussions import signals
from goingsolo.events import signals as event_signals
from goingsolo.events import tasks as event_tasks
from goingsolo.events.models import InterestCheck
from goingsolo.groups import sections
from goingsolo.wiki import signals as wiki_signals

from .models import Delivery
from .outbound import tasks as outbound_tasks
from .outbound.queue import list_members
from .outbound.services import subscription_of


def post_created(sender, post, thread, **kwargs):
    outbound_tasks.queue_post_emails.enqueue(post_id=post.pk)


def thread_announced(sender, thread, **kwargs):
    outbound_tasks.queue_announcement.enqueue(thread_id=thread.pk)


def interest_check_reminder_due(sender, check_id, user_ids, **kwargs):
    """Members who have not answered a check that closes soon: those who get the group's
    email (any choice but "nothing", and not paused) are emailed a reminder."""
    check = InterestCheck.objects.filter(pk=check_id).values_list("group_id", flat=True).first()
    if check is None or not user_ids:
        return
    members = list_members(
        group_id=check,
        deliveries=[d for d in Delivery.values if d != Delivery.NONE],
        user_ids=user_ids,
    )
    if members:
        event_tasks.send_check_reminders.enqueue(
            check_id=check_id, user_ids=[member["pk"] for member in members]
        )


def wiki_revision_published(sender, revision, **kwargs):
    outbound_tasks.queue_wiki_change_emails.enqueue(revision_id=revision.pk)


def connect():
    signals.post_created.connect(post_created, dispatch_uid="mail.post_created")
    signals.thread_announced.connect(thread_announced, dispatch_uid="mail.thread_announced")
    event_signals.interest_check_reminder_due.connect(
        interest_check_reminder_due, dispatch_uid="mail.interest_check_reminder_due"
    )
    wiki_signals.revision_published.connect(
        wiki_revision_published, dispatch_uid="mail.wiki_revision_published"
    )
    sections.register("group")(email_section)


def email_section(request, group, access):
    """On a group's page, for its members: how the group reaches them by email."""
    if getattr(access, "membership", None) is None:
        return None
    return sections.Section(
        template="mail/_group_email_section.html",
        context={"subscription": subscription_of(user=request.user, group=group), "group": group},
        order=900,
    )

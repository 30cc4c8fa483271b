"""The mailing list listens to discussions: each receiver only enqueues a job.

The signals are sent once the change has committed (goingsolo/discussions/signals.py).
"""

from goingsolo.discussions import signals
from goingsolo.groups import sections

from . import tasks_outbound


def post_created(sender, post, thread, **kwargs):
    tasks_outbound.queue_post_emails.enqueue(post_id=post.pk)


def thread_announced(sender, thread, **kwargs):
    tasks_outbound.queue_announcement.enqueue(thread_id=thread.pk)


def connect():
    signals.post_created.connect(post_created, dispatch_uid="mail.post_created")
    signals.thread_announced.connect(thread_announced, dispatch_uid="mail.thread_announced")
    sections.register("group")(email_section)


def email_section(request, group, access):
    """On a group's page, for its members: how the group reaches them by email."""
    if getattr(access, "membership", None) is None:
        return None
    from .subscriptions import subscription_of

    return sections.Section(
        template="mail/_group_email_section.html",
        context={"subscription": subscription_of(user=request.user, group=group), "group": group},
        order=900,
    )

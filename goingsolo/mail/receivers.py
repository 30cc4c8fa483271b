"""The mailing list listens to discussions and the wiki: each receiver only enqueues a job.

The signals are sent once the change has committed (goingsolo/discussions/signals.py,
goingsolo/wiki/signals.py).
"""

from goingsolo.discussions import signals
from goingsolo.groups import sections
from goingsolo.wiki import signals as wiki_signals

from .outbound import tasks as outbound_tasks
from .outbound.services import subscription_of


def post_created(sender, post, thread, **kwargs):
    outbound_tasks.queue_post_emails.enqueue(post_id=post.pk)


def thread_announced(sender, thread, **kwargs):
    outbound_tasks.queue_announcement.enqueue(thread_id=thread.pk)


def wiki_revision_published(sender, revision, **kwargs):
    outbound_tasks.queue_wiki_change_emails.enqueue(revision_id=revision.pk)


def connect():
    signals.post_created.connect(post_created, dispatch_uid="mail.post_created")
    signals.thread_announced.connect(thread_announced, dispatch_uid="mail.thread_announced")
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

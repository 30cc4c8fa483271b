"""Jobs of the outbound mailing list: thin adapters over outbound, digests and delivery."""

import logging

from django_tasks import default_task_backend, task

from goingsolo.discussions.models import Post
from goingsolo.wiki.notifications import load_revision

from . import delivery, outbound, wiki_changes

logger = logging.getLogger(__name__)


@task()
def queue_post_emails(*, post_id):
    """A new post: queue its mails to members in mailing-list or "mine" mode."""
    post = Post.objects.select_related("thread", "group", "author").filter(pk=post_id).first()
    if post is not None:
        outbound.queue_post_emails(post)


@task()
def queue_announcement(*, thread_id):
    """An announced thread: queue its opening post to every member who gets email."""
    thread = outbound.load_thread(thread_id)
    if thread is not None:
        outbound.queue_announcement(thread)


@task()
def queue_wiki_change_emails(*, revision_id):
    """A wiki page's change was published: queue the emails to its watchers."""
    revision = load_revision(revision_id)
    if revision is not None:
        wiki_changes.queue_change_emails(revision)


@task()
def deliver_outbound():
    """Send what is due; then, if anything waits (a retry, a lease), come back for it."""
    report = delivery.send_due()
    if report.sent or report.failed or report.retried:
        logger.info("Outbound email: %s", report)
    at = delivery.next_wakeup()
    if at is not None and default_task_backend.supports_defer and delivery.claim_wakeup(at):
        deliver_outbound.using(run_after=at).enqueue()

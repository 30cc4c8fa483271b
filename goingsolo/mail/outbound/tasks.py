"""Jobs of the outbound mailing list: thin adapters over the queue and wiki change emails.

The delivery job, which the queue asks for, is beside what it runs (delivery.py)."""

from django_tasks import task

from goingsolo.discussions.models import Post
from goingsolo.wiki.notifications import load_revision

from . import queue, wiki_changes


@task()
def queue_post_emails(*, post_id):
    """A new post: queue its mails to members in mailing-list or "mine" mode."""
    post = Post.objects.select_related("thread", "group", "author").filter(pk=post_id).first()
    if post is not None:
        queue.queue_post_emails(post)


@task()
def queue_announcement(*, thread_id):
    """An announced thread: queue its opening post to every member who gets email."""
    thread = queue.load_thread(thread_id)
    if thread is not None:
        queue.queue_announcement(thread)


@task()
def queue_wiki_change_emails(*, revision_id):
    """A wiki page's change was published: queue the emails to its watchers."""
    revision = load_revision(revision_id)
    if revision is not None:
        wiki_changes.queue_change_emails(revision)

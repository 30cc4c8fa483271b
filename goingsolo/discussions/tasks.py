"""Jobs: thin adapters that load rows and call the functions that do the work."""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import notifications, search_index
from .models import Thread


@task()
def post_created(*, post_id):
    """A new post: in-app notifications, the search index (its live update is published
    on commit, by the service)."""
    post = notifications.load_post(post_id)
    if post is None:
        return
    notifications.notify_post(post)
    search_index.index_post(post)


@task()
def post_indexed(*, post_id):
    """A post was edited, deleted, restored or relabelled: bring the search index up to date."""
    post = notifications.load_post(post_id)
    if post is not None:
        search_index.index_post(post)


@task()
def reaction_added(*, post_id, user_id, emoji):
    post = notifications.load_post(post_id)
    actor = get_user_model().objects.filter(pk=user_id).first()
    if post is not None and actor is not None:
        notifications.notify_reaction(post, actor, emoji)


@task()
def thread_announced(*, thread_id, by_id):
    """A thread became an announcement: every member hears about it in the app."""
    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is not None:
        by = get_user_model().objects.filter(pk=by_id).first()
        notifications.notify_announcement(thread, by)

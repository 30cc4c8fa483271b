"""Jobs: thin adapters that load rows and call the functions that do the work."""

from django_tasks import task

from . import notifications, search_index


@task()
def revision_published(*, revision_id):
    """A revision became what everyone sees: tell the watchers, update the search index."""
    revision = notifications.load_revision(revision_id)
    if revision is None or revision.page.current_revision_id != revision.pk:
        return
    notifications.notify_watchers(revision)
    search_index.index_page(revision.page)


@task()
def page_removed(*, page_id):
    search_index.remove_page(page_id)

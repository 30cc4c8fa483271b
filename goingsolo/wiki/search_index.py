"""Wiki pages in the shared search index (goingsolo.core.search), kind "wiki_page", and
how search results show them.

Only the current, approved text is indexed: an edit waiting for review is found by nobody.
"""

from django.utils.translation import pgettext_lazy

from goingsolo.core import search
from goingsolo.core.markdown import render_plain
from goingsolo.groups import search_kinds

from .models import Page

KIND = "wiki_page"


def index_page(page):
    revision = page.current_revision
    if revision is None:
        remove_page(page.pk)
        return
    search.index_document(
        kind=KIND,
        object_id=page.pk,
        group_id=page.group_id,
        author_id=revision.author_id,
        language=page.language,
        title=page.title,
        body=render_plain(revision.body),
        url=page.get_absolute_url(),
        created_at=page.created_at,
    )


def remove_page(page_id):
    search.remove_document(kind=KIND, object_id=page_id)


@search_kinds.register(KIND)
def present_pages(hits):
    """Search results for wiki pages: title, group and last editor, in one query."""
    pages = {
        page.pk: page
        for page in Page.objects.filter(
            pk__in=[hit.object_id for hit in hits], current_revision__isnull=False
        ).select_related("group", "current_revision__author")
    }
    found = {}
    for hit in hits:
        page = pages.get(hit.object_id)
        if page is None:
            continue
        author = page.current_revision.author
        found[hit.object_id] = search_kinds.Presented(
            title=page.title,
            url=hit.url,
            group=page.group,
            snippet=hit.snippet,
            author_name=author.name if author is not None else "",
            created_at=page.updated_at,
            language=page.language,
            label=pgettext_lazy("search result", "Wiki page"),
        )
    return found

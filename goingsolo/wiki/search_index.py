"""Wiki pages in the shared search index (goingsolo.core.search), kind "wiki_page".

Only the current, approved text is indexed: an edit waiting for review is found by nobody.
"""

from goingsolo.core import search
from goingsolo.core.markdown import render_plain

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

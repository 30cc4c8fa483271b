"""One search index for every feature, on SQLite (FTS5) or PostgreSQL (full-text search).

Features put their content in with `index_document` and take it out with
`remove_document`, from their services once the write has committed; they read with
`search`, passing the ids of the groups the reader may see. core knows no feature: a
document is a kind ("thread", "event"…), an object id, a group id and some text.
See docs/search.md.
"""

from django.conf import settings
from django.db import connection, transaction

from goingsolo.core.models import SearchDocument

from . import text
from .base import Filters, SearchHit, SearchResults, visible_group_ids
from .postgresql import PostgreSQLEngine
from .sqlite import SQLiteEngine

__all__ = [
    "SearchHit",
    "SearchResults",
    "index_document",
    "rebuild_index",
    "remove_document",
    "search",
]

MAX_LIMIT = 100
_ENGINES = {"sqlite": SQLiteEngine(), "postgresql": PostgreSQLEngine()}


def _engine():
    try:
        return _ENGINES[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"Search does not support {connection.vendor}.") from None


@transaction.atomic
def index_document(*, kind, object_id, group_id, author_id, language, title, body, url, created_at):
    """Adds the document KIND/OBJECT_ID to the index, or replaces it.

    LANGUAGE picks the stemmer ("fr", "en"; "fr-CA" counts as "fr"; any other language is
    indexed word for word). TITLE weighs more than BODY, which is plain text.
    Side effects: the document row is written, and so is the engine's index data for it.
    """
    document = SearchDocument(
        kind=kind,
        object_id=object_id,
        group_id=group_id,
        author_id=author_id,
        language=text.language_code(language),
        title=text.clean(title),
        body=text.clean(body),
        url=url,
        created_at=created_at,
    )
    fields = [
        "group_id",
        "author_id",
        "language",
        "title",
        "body",
        "url",
        "created_at",
        "updated_at",
    ]
    SearchDocument.objects.bulk_create(
        [document], update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=fields
    )
    if document.pk is None:  # a database that does not return ids from an upsert
        document.pk = SearchDocument.objects.values_list("pk", flat=True).get(
            kind=kind, object_id=object_id
        )
    with connection.cursor() as cursor:
        _engine().write(cursor, document.pk, document.language, document.title, document.body)
    return document


@transaction.atomic
def remove_document(*, kind, object_id):
    """Takes the document KIND/OBJECT_ID out of the index; True if it was there.

    Side effects: the document row and the engine's index data for it are deleted.
    """
    document_id = (
        SearchDocument.objects.filter(kind=kind, object_id=object_id)
        .values_list("pk", flat=True)
        .first()
    )
    if document_id is None:
        return False
    with connection.cursor() as cursor:
        _engine().delete(cursor, document_id)
    SearchDocument.objects.filter(pk=document_id).delete()
    return True


@transaction.atomic
def rebuild_index(*, batch_size=1000, progress=None):
    """Recomputes the engine's index data of every document; returns how many.

    For documents written without index_document (imports, bulk_create) and after a
    change of stemming or configuration. PROGRESS(done) is called after each batch.
    Side effects: the engine's index data is rewritten in one transaction.
    """
    engine, done, last_id = _engine(), 0, 0
    with connection.cursor() as cursor:
        engine.clear(cursor)
        while True:
            rows = list(
                SearchDocument.objects.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", "language", "title", "body")[:batch_size]
            )
            if not rows:
                break
            engine.write_many(cursor, rows)
            done += len(rows)
            last_id = rows[-1][0]
            if progress:
                progress(done)
        engine.finish_rebuild(cursor)
    return done


def search(
    query_text,
    *,
    group_ids,
    include_ungrouped=False,
    kinds=None,
    group_id=None,
    author_id=None,
    language=None,
    since=None,
    until=None,
    limit=20,
    offset=0,
):
    """Documents matching QUERY_TEXT, best first, among those the reader may see.

    GROUP_IDS (required): the groups whose documents the reader may see, as a list of ids
    or a QuerySet (of groups, or of their ids: values("pk")), read first. Documents outside
    them never come back, whatever the other filters say. INCLUDE_UNGROUPED adds the
    documents that belong to no group.
    The query: words (all required, in any of the instance's languages, stemmed, accents
    ignored), "exact phrases", -excluded words, `or` between two words. Anything else is
    read as a separator, so any text is a valid query.
    Filters: KINDS (a list), GROUP_ID, AUTHOR_ID, LANGUAGE, and created_at in [SINCE, UNTIL).
    Runs one query (two when OFFSET is past the last hit) whatever the number of hits,
    and one more to read GROUP_IDS when it is a QuerySet.
    """
    group_ids = visible_group_ids(group_ids)
    limit, offset = max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    if isinstance(kinds, str):
        kinds = [kinds]
    filters = Filters(
        group_ids=group_ids,
        include_ungrouped=include_ungrouped,
        kinds=tuple(kinds or ()),
        group_id=group_id,
        author_id=author_id,
        language=text.language_code(language) if language else None,
        since=since,
        until=until,
    )
    query = text.parse_query(query_text)
    if not query or filters.is_void():
        return SearchResults(results=[], total=0)
    hits, total = _engine().search(
        query, filters, languages=settings.GOINGSOLO_LANGUAGES, limit=limit, offset=offset
    )
    return SearchResults(results=hits, total=total)

"""PostgreSQL engine: a weighted tsvector per document, ranked by ts_rank.

The vector is written with the document's own language configuration (migration core
0002: `goingsolo_english`, `goingsolo_french`, `goingsolo_simple`, each folding accents
with unaccent before stemming). It is computed at write time by an UPDATE rather than by
a generated column: a generated column would forbid any later migration from changing
the type of title or body, and the configurations it depends on may change (unaccent
installed after the fact), which only a rebuild can apply.

A query is matched in every configured language and word for word ("simple"): the OR of
websearch_to_tsquery() over those configurations, the excluded words removed from the
result of that OR, so that a word excluded in one language is excluded in all.
"""

from django.db import connection

from goingsolo.core.models import SearchDocument

from . import text
from .base import COLUMNS, SearchHit, mark_html


def _configuration_name(stemmer):
    return f"goingsolo_{stemmer}"


HEADLINE_OPTIONS = (
    f'StartSel="{text.MARK_START}", StopSel="{text.MARK_END}", '
    'MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'
)


def _configuration(language_column):
    """SQL choosing the configuration of the document's language."""
    cases = " ".join(
        f"WHEN '{code}' THEN '{_configuration_name(name)}'::regconfig"
        for code, name in text.STEMMED_LANGUAGES.items()
    )
    simple = _configuration_name(text.SIMPLE)
    return f"(CASE {language_column} {cases} ELSE '{simple}'::regconfig END)"


def _plain(column):
    # The default parser reads "<b>" as a tag and "&amp;" as an entity and leaves them
    # out of vectors and headlines; this text is plain, so "<" and "&" are hidden from it
    # (and brought back in snippets).
    return f"replace(replace({column}, '<', chr(1)), '&', chr(4))"


VECTOR = (
    f"setweight(to_tsvector({_configuration('language')}, {_plain('title')}), 'A') || "
    f"setweight(to_tsvector({_configuration('language')}, "
    f"{_plain(f'left(body, {text.INDEXED_CHARS})')}), 'B')"
)
_UNHIDE = str.maketrans({text.LT_STAND_IN: "<", text.AMP_STAND_IN: "&"})


def _any_of(column, values):
    cast = "text[]" if any(isinstance(value, str) for value in values) else "bigint[]"
    return f"{column} = ANY(%s::{cast})", [list(values)]


def _tsquery(phrases, configurations):
    """The OR over CONFIGURATIONS of websearch_to_tsquery(PHRASES), and its parameters."""
    sql = " || ".join("websearch_to_tsquery(%s::regconfig, %s)" for _ in configurations)
    params = [value for configuration in configurations for value in (configuration, phrases)]
    return f"({sql})", params


class PostgreSQLEngine:
    def write(self, cursor, document_id, language, title, body):
        cursor.execute(
            f"UPDATE core_searchdocument SET search_vector = {VECTOR} WHERE id = %s", [document_id]
        )

    def delete(self, cursor, document_id):
        """The vector goes with the row."""

    def clear(self, cursor):
        """Every vector is rewritten by write_many; readers keep the old ones until then."""

    def write_many(self, cursor, rows):
        cursor.execute(
            f"UPDATE core_searchdocument SET search_vector = {VECTOR} WHERE id = ANY(%s::bigint[])",
            [[row[0] for row in rows]],
        )

    def finish_rebuild(self, cursor):
        cursor.execute("ANALYZE core_searchdocument")

    def search(self, query, filters, *, languages, limit, offset):
        configurations = [_configuration_name(name) for name in text.query_languages(languages)]
        tsquery, params = _tsquery(text.Query(groups=query.groups).websearch(), configurations)
        if query.excluded:
            excluded, excluded_params = _tsquery(
                text.Query(groups=(query.excluded,)).websearch(), configurations
            )
            tsquery = f"({tsquery} && !!{excluded})"
            params += excluded_params
        where, where_params = filters.where(connection, _any_of)
        matches = f"""
            FROM core_searchdocument d CROSS JOIN q
            WHERE d.search_vector @@ q.query AND {where}
        """
        # Every match is ranked and counted, on narrow rows: MATERIALIZED, or the planner
        # computes the rank after the window and carries every vector through it;
        # the documents' text is read, and headlines made, for the page only. ts_rank
        # rather than ts_rank_cd: the cover density cost twice as much again for a word
        # of 14,000 posts, and the weights (title over body) are what orders results.
        rows = list(
            SearchDocument.objects.raw(
                f"""
                WITH q AS (SELECT {tsquery} AS query),
                ranked AS MATERIALIZED (
                    SELECT d.id, d.created_at, ts_rank(d.search_vector, q.query, 1) AS rank
                    {matches}
                ),
                page AS (
                    SELECT id, created_at, rank, COUNT(*) OVER () AS total
                    FROM ranked
                    ORDER BY rank DESC, created_at DESC, id DESC
                    LIMIT %s OFFSET %s
                )
                SELECT {COLUMNS}, page.rank, page.total,
                    ts_headline({_configuration("d.language")}, {_plain("d.body")}, q.query, %s)
                        AS snippet
                FROM page JOIN core_searchdocument d ON d.id = page.id CROSS JOIN q
                ORDER BY page.rank DESC, page.created_at DESC, page.id DESC
                """,
                [*params, *where_params, limit, offset, HEADLINE_OPTIONS],
            )
        )
        if rows:
            total = rows[0].total
        elif offset:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH q AS (SELECT {tsquery} AS query) SELECT COUNT(*) {matches}",
                    [*params, *where_params],
                )
                total = cursor.fetchone()[0]
        else:
            total = 0
        hits = [SearchHit.from_row(row, mark_html(row.snippet.translate(_UNHIDE))) for row in rows]
        return hits, total

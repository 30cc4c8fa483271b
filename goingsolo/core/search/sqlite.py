"""SQLite engine: an FTS5 table of stems, ranked by bm25.

FTS5 has no stemmer for French, and Python's sqlite3 module cannot register a tokenizer,
so the stems are made here (text.py) and FTS5 indexes them: `core_searchdocument_fts`
holds, for each document (rowid = document id), its title and body as one folded stem
per word. A query word becomes the OR of its stems in every configured language.

FTS5's snippet() would show the stored stems ("tarif reduit") rather than the author's
words, so snippets are cut from the original body here, marking the words whose stem the
query asked for: the same stems that made the document match.
"""

import json

from django.db import connection

from goingsolo.core.models import SearchDocument

from . import text
from .base import COLUMNS, SearchHit, mark_html

TITLE_WEIGHT = 4.0
SNIPPET_WORDS = 30
SNIPPET_CONTEXT_WORDS = 6
# Words past this point are not looked at for the snippet: cost stays bounded for long texts.
SNIPPET_SCAN_WORDS = 5000


def _any_of(column, values):
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]


def _fts_string(form):
    return '"' + form.replace('"', '""') + '"'


def _phrase_forms(phrase, languages):
    """Each language's indexed form of PHRASE, as FTS5 strings."""
    variants = []
    for name in languages:
        forms = [text.form(name, word) for word in phrase]
        variant = " ".join(form for form in forms if form)
        if variant and variant not in variants:
            variants.append(variant)
    return [_fts_string(variant) for variant in variants]


def match_expression(query, languages):
    """QUERY as an FTS5 expression over the stemmers LANGUAGES, or "" if nothing is left."""

    def any_phrase(phrases):
        strings = [s for phrase in phrases for s in _phrase_forms(phrase, languages)]
        return "(" + " OR ".join(dict.fromkeys(strings)) + ")" if strings else ""

    groups = [g for g in (any_phrase(group) for group in query.groups) if g]
    if not groups:
        return ""
    expression = " AND ".join(groups)
    excluded = any_phrase(query.excluded)
    if excluded:
        expression = f"({expression}) NOT {excluded}"
    return expression


def query_forms(query, languages):
    """Every indexed form a positive word of QUERY may take: the words to mark."""
    return {
        text.form(name, word) for phrase in query.phrases() for word in phrase for name in languages
    }


def snippet(body, language, forms):
    """About SNIPPET_WORDS words of BODY around the most matched words, as safe HTML."""
    name = text.stemmer_language(language)
    tokens = []
    for position, match in enumerate(text.WORD_RE.finditer(body)):
        if position >= SNIPPET_SCAN_WORDS:
            break
        tokens.append((match, text.form(name, match.group()) in forms))
    if not tokens:
        return mark_html(body[:200])
    hits = [int(matched) for _, matched in tokens]
    # The window of SNIPPET_WORDS words holding the most marked words; the first one wins.
    current = best = sum(hits[:SNIPPET_WORDS])
    best_start = 0
    for start in range(1, max(1, len(tokens) - SNIPPET_WORDS + 1)):
        current += hits[start + SNIPPET_WORDS - 1] - hits[start - 1]
        if current > best:
            best_start, best = start, current
    # Then a few words of context before its first marked word, as ts_headline gives.
    first_hit = next((i for i in range(best_start, len(hits)) if hits[i]), best_start)
    best_start = max(0, min(first_hit - SNIPPET_CONTEXT_WORDS, len(tokens) - SNIPPET_WORDS))
    window = tokens[best_start : best_start + SNIPPET_WORDS]
    # The cut falls on spaces, so that "<b>" or "(sic)" keep their punctuation.
    cursor = window[0][0].start()
    while (
        cursor > 0 and not body[cursor - 1].isspace() and not text.WORD_RE.match(body, cursor - 1)
    ):
        cursor -= 1
    pieces = ["… " if text.WORD_RE.search(body[:cursor]) else ""]
    for match, matched in window:
        pieces.append(body[cursor : match.start()])
        word = match.group()
        pieces.append(f"{text.MARK_START}{word}{text.MARK_END}" if matched else word)
        cursor = match.end()
    end = cursor
    while end < len(body) and not body[end].isspace() and not text.WORD_RE.match(body, end):
        end += 1
    pieces.append(body[cursor:end])
    if text.WORD_RE.search(body, end):
        pieces.append(" …")
    return mark_html("".join(pieces))


class SQLiteEngine:
    def write(self, cursor, document_id, language, title, body):
        cursor.execute(
            "INSERT OR REPLACE INTO core_searchdocument_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [document_id, *self._indexed(language, title, body)],
        )

    def delete(self, cursor, document_id):
        cursor.execute("DELETE FROM core_searchdocument_fts WHERE rowid = %s", [document_id])

    def clear(self, cursor):
        cursor.execute("DELETE FROM core_searchdocument_fts")

    def write_many(self, cursor, rows):
        """ROWS: (id, language, title, body) of documents absent from the FTS table."""
        cursor.executemany(
            "INSERT INTO core_searchdocument_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [(pk, *self._indexed(language, title, body)) for pk, language, title, body in rows],
        )

    def finish_rebuild(self, cursor):
        # Merges the index segments written by a rebuild: faster queries afterwards.
        cursor.execute(
            "INSERT INTO core_searchdocument_fts (core_searchdocument_fts) VALUES ('optimize')"
        )

    def _indexed(self, language, title, body):
        return (
            text.indexed_text(title, language),
            text.indexed_text(body[: text.INDEXED_CHARS], language),
        )

    def search(self, query, filters, *, languages, limit, offset):
        languages = text.query_languages(languages)
        expression = match_expression(query, languages)
        if not expression:
            return [], 0
        where, params = filters.where(connection, _any_of)
        matches = f"""
            SELECT d.id, d.created_at, -bm25(core_searchdocument_fts, {TITLE_WEIGHT}, 1.0) AS rank
            FROM core_searchdocument_fts
            JOIN core_searchdocument d ON d.id = core_searchdocument_fts.rowid
            WHERE core_searchdocument_fts MATCH %s AND {where}
        """
        # Every match is ranked and counted on narrow rows; the documents' text is read
        # for the page only. The window function also keeps SQLite from flattening the
        # subquery, which bm25() needs: it only runs in the query that holds the MATCH.
        rows = list(
            SearchDocument.objects.raw(
                f"""
                SELECT {COLUMNS}, page.rank, page.total FROM (
                    SELECT m.id, m.created_at, m.rank, COUNT(*) OVER () AS total
                    FROM ({matches}) m
                    ORDER BY m.rank DESC, m.created_at DESC, m.id DESC LIMIT %s OFFSET %s
                ) page
                JOIN core_searchdocument d ON d.id = page.id
                ORDER BY page.rank DESC, page.created_at DESC, page.id DESC
                """,
                [expression, *params, limit, offset],
            )
        )
        if rows:
            total = rows[0].total
        elif offset:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({matches})", [expression, *params])
                total = cursor.fetchone()[0]
        else:
            total = 0
        forms = query_forms(query, languages)
        hits = [SearchHit.from_row(row, snippet(row.body, row.language, forms)) for row in rows]
        return hits, total

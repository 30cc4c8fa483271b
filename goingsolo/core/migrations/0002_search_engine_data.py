"""Engine data for search, created only on the database that uses it.

PostgreSQL: a `search_vector` tsvector column with a GIN index, and one text search
configuration per language (`goingsolo_english`, `goingsolo_french`, `goingsolo_simple`)
that folds accents with `unaccent` before stemming. Folding inside the configuration,
rather than calling unaccent() around the text, lets `websearch_to_tsquery` fold the
query and `ts_headline` find "café" for "cafe" with no extra code. Without the unaccent
extension the configurations are plain copies: search works, accents are not folded.

SQLite: an FTS5 table whose rowid is the document id and whose columns hold the stemmed,
folded title and body (stemming is done in Python, see goingsolo/core/search/text.py).

The column and the table stay out of the model state, so the same model works on both.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

# Language configurations: (our name, the built-in configuration, its stemming dictionary).
PG_CONFIGS = [
    ("goingsolo_english", "english", "english_stem"),
    ("goingsolo_french", "french", "french_stem"),
    ("goingsolo_simple", "simple", "simple"),
]


def _install_unaccent(cursor, connection):
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    if cursor.fetchone() is None:
        logger.warning("PostgreSQL has no unaccent extension: search will not fold accents.")
        return False
    try:
        with transaction.atomic(using=connection.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except Exception as error:  # no privilege: the database owner may install it later
        logger.warning("Could not create the unaccent extension (%s): accents are not folded.", error)
        return False
    return True


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            unaccent = _install_unaccent(cursor, connection)
            for name, source, stemmer in PG_CONFIGS:
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source})")
                if unaccent:
                    cursor.execute(
                        f"ALTER TEXT SEARCH CONFIGURATION {name} "
                        f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}"
                    )
            cursor.execute("ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector")
            cursor.execute(
                "CREATE INDEX core_searchdocument_search_vector_idx "
                "ON core_searchdocument USING GIN (search_vector)"
            )
        elif connection.vendor == "sqlite":
            try:
                cursor.execute(
                    "CREATE VIRTUAL TABLE core_searchdocument_fts USING fts5("
                    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
                )
            except Exception as error:
                raise RuntimeError(
                    "This SQLite library has no FTS5 full-text search, which goingsolo needs "
                    f"({error}). Use a Python whose sqlite3 module includes FTS5."
                ) from error


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS core_searchdocument_search_vector_idx")
            cursor.execute("ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS search_vector")
            for name, _source, _stemmer in PG_CONFIGS:
                cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS core_searchdocument_fts")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

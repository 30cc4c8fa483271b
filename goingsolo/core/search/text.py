"""Words, stems and the query language, shared by both engines.

Both engines fold accents before stemming (PostgreSQL: `unaccent` then the Snowball
stemmer inside the text search configuration; SQLite: `fold()` then the same Snowball
stemmer in Python), so "activités", "activites" and "activité" meet on one stem.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Languages with a stemmer, by code. PostgreSQL has a configuration `goingsolo_<name>` for
# each (migration core 0002); any other language is indexed word for word ("simple").
# Adding one takes a line here and a migration creating its PostgreSQL configuration.
STEMMED_LANGUAGES = {"en": "english", "fr": "french"}
SIMPLE = "simple"

# Characters the engines use as markers; removed from every indexed text so that a
# marker in a result can only come from the engine.
MARK_START = "\x02"
MARK_END = "\x03"
# Stands for "<" and "&" inside PostgreSQL, whose parser would take "<b>" for a tag.
LT_STAND_IN = "\x01"
AMP_STAND_IN = "\x04"
_CONTROL = dict.fromkeys(map(ord, "\x00\x01\x02\x03\x04"), " ")

WORD_RE = re.compile(r"[^\W_]+")
# A query chunk: optional leading dashes (exclusion), then a quoted phrase or a bare chunk.
_CHUNK_RE = re.compile(r'(?P<neg>-+)?(?:"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+))')
# Letters that Unicode decomposition does not split but unaccent does.
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
)

# Text past this point is stored but not indexed (a tsvector holds at most 1 MB).
INDEXED_CHARS = 300_000
MAX_QUERY_CHARS = 300
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 8
MAX_WORD_CHARS = 64


def clean(text):
    """TEXT without the control characters the engines use as markers (nor NUL)."""
    return (text or "").translate(_CONTROL)


def language_code(language):
    """The primary language of a code: documents and stemmers take "fr" for "fr-CA"."""
    return (language or "").strip().lower().replace("_", "-").split("-")[0]


def stemmer_language(language):
    return STEMMED_LANGUAGES.get(language_code(language), SIMPLE)


def fold(word):
    """Lower case, accents removed, letters and digits only: "Œuvrés" → "oeuvres"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_LIGATURES))
    return "".join(c for c in decomposed if c.isalnum())


_local = threading.local()


def _stemmer(name):
    # Snowball stemmers keep state while they work: one per thread.
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if name not in stemmers:
        stemmers[name] = snowballstemmer.stemmer(name)
    return stemmers[name]


@lru_cache(maxsize=100_000)
def stem(name, folded_word):
    """The indexed form of a folded word for stemmer NAME ("simple": the word itself)."""
    if name == SIMPLE:
        return folded_word
    return fold(_stemmer(name).stemWord(folded_word))


@lru_cache(maxsize=100_000)
def form(name, word):
    """The indexed form of WORD, as found in a text, for stemmer NAME."""
    return stem(name, fold(word))


def words(text):
    return WORD_RE.findall(text)


def indexed_text(text, language):
    """TEXT as the SQLite engine indexes it: one stem per word, in order."""
    name = stemmer_language(language)
    return " ".join(filter(None, (form(name, word) for word in words(text))))


def query_languages(languages):
    """The stemmers a query goes through: each configured language, then word for word."""
    names = [STEMMED_LANGUAGES[c] for c in map(language_code, languages) if c in STEMMED_LANGUAGES]
    return [*dict.fromkeys(names), SIMPLE]


@dataclass(frozen=True)
class Query:
    """A parsed query: documents match every group (one of its phrases) and no excluded
    phrase. A phrase is a tuple of words; most phrases are a single word."""

    groups: tuple = ()
    excluded: tuple = ()

    def __bool__(self):
        # Without a positive term nothing is asked for: no engine is queried.
        return bool(self.groups)

    def phrases(self):
        return [phrase for group in self.groups for phrase in group]

    def websearch(self):
        """The query in PostgreSQL's websearch syntax, rebuilt from clean words only."""

        def quoted(phrase):
            return phrase[0] if len(phrase) == 1 else '"' + " ".join(phrase) + '"'

        parts = [" or ".join(quoted(p) for p in group) for group in self.groups]
        parts += ["-" + quoted(p) for p in self.excluded]
        return " ".join(parts)


def parse_query(text):
    """Reads plain words (all required), "quoted phrases", -excluded words and `or`.

    Anything else (FTS syntax, punctuation, operators of either engine) is only a word
    separator, so no input can make an engine raise. "e-mail" or "l'été" become phrases.
    """
    groups, excluded, pending_or = [], [], False
    for match in _CHUNK_RE.finditer(clean(text)[:MAX_QUERY_CHARS]):
        if len(groups) + len(excluded) >= MAX_CLAUSES:
            break
        is_phrase = match["phrase"] is not None
        phrase = tuple(w[:MAX_WORD_CHARS] for w in words(match["phrase"] or match["bare"] or ""))
        phrase = phrase[:MAX_PHRASE_WORDS]
        if not phrase:
            continue
        if not is_phrase and not match["neg"] and len(phrase) == 1 and phrase[0].lower() == "or":
            pending_or = bool(groups)
            continue
        if match["neg"]:
            excluded.append(phrase)
        elif pending_or:
            groups[-1] = (*groups[-1], phrase)
        else:
            groups.append((phrase,))
        pending_or = False
    return Query(groups=tuple(groups), excluded=tuple(excluded))

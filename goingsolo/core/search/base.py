"""What both engines share: the filters, the hits, the safe snippet HTML."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models.query import ModelIterable, QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import MARK_END, MARK_START

# The document's columns, as every engine selects them (alias d).
COLUMNS = (
    "d.id, d.kind, d.object_id, d.group_id, d.author_id, d.language, d.title, d.body, "
    "d.url, d.created_at, d.updated_at"
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    group_id: int | None
    author_id: int | None
    language: str
    title: str
    body: str
    url: str
    created_at: datetime
    updated_at: datetime
    rank: float
    snippet: str  # safe HTML: the text escaped, matched words in <mark>

    @classmethod
    def from_row(cls, document, snippet):
        return cls(
            kind=document.kind,
            object_id=document.object_id,
            group_id=document.group_id,
            author_id=document.author_id,
            language=document.language,
            title=document.title,
            body=document.body,
            url=document.url,
            created_at=document.created_at,
            updated_at=document.updated_at,
            rank=float(document.rank),
            snippet=snippet,
        )


@dataclass(frozen=True)
class SearchResults:
    results: list
    total: int

    def __iter__(self):
        return iter(self.results)

    def __len__(self):
        return len(self.results)


def mark_html(text):
    """Text holding MARK_START/MARK_END markers → safe HTML with <mark> elements.

    The whole text is escaped first; the markers are control characters that indexed
    text never holds (text.clean), so each one came from the engine.
    """
    html = escape(_SPACES.sub(" ", text).strip())
    return mark_safe(html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


@dataclass(frozen=True)
class Filters:
    group_ids: list  # of ints: the groups whose documents the reader may see
    include_ungrouped: bool = False
    kinds: tuple = ()
    group_id: int | None = None
    author_id: int | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def is_void(self):
        """True when no document can pass: nothing is visible to the caller."""
        return not self.group_ids and (not self.include_ungrouped or self.group_id is not None)

    def where(self, connection, any_of):
        """SQL conditions on the alias d, and their parameters.

        ANY_OF(column, values) is the engine's way to test a column against a list with a
        single parameter, so the SQL text does not depend on how many ids there are.
        """
        conditions, params = [], []
        visible, visible_params = any_of("d.group_id", self.group_ids)
        if self.include_ungrouped:
            visible = f"({visible} OR d.group_id IS NULL)"
        conditions.append(visible)
        params += visible_params
        if self.kinds:
            sql, kind_params = any_of("d.kind", list(self.kinds))
            conditions.append(sql)
            params += kind_params
        for column, value in (
            ("group_id", self.group_id),
            ("author_id", self.author_id),
            ("language", self.language),
        ):
            if value is not None:
                conditions.append(f"d.{column} = %s")
                params.append(value)
        if self.since is not None:
            conditions.append("d.created_at >= %s")
            params.append(connection.ops.adapt_datetimefield_value(self.since))
        if self.until is not None:
            conditions.append("d.created_at < %s")
            params.append(connection.ops.adapt_datetimefield_value(self.until))
        return " AND ".join(conditions), params


def visible_group_ids(group_ids):
    """The caller's visible groups as a list of ints.

    A QuerySet (of groups, or of one column: values("pk"), values_list(...)) is read here,
    one small query: given the ids rather than a subquery, PostgreSQL combines the group
    index with the text index and knows how many matches to expect (a word of 14,000
    posts took 77 ms through the subquery, 31 ms with the ids; bench/discussions.py)."""
    if group_ids is None:
        raise TypeError(
            "search() needs group_ids: the groups the reader may see (a list of ids or a "
            "values('pk') QuerySet). Visibility is the caller's duty; None is not allowed."
        )
    if isinstance(group_ids, QuerySet):
        if group_ids._iterable_class is ModelIterable:
            group_ids = group_ids.values_list("pk", flat=True)
        return [int(_only_value(row)) for row in group_ids]
    if isinstance(group_ids, str | bytes):
        raise TypeError("group_ids must be ids or a QuerySet, not a string.")
    return [int(group_id) for group_id in group_ids]


def _only_value(row):
    """The value of a one-column row, as values(), values_list() or flat=True give it."""
    if isinstance(row, dict):
        (value,) = row.values()
        return value
    if isinstance(row, tuple):
        (value,) = row
        return value
    return row

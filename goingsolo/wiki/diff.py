"""A readable difference between two revisions of a page.

Lines are compared first (difflib); within a changed line, words are compared, so a fixed
typo shows as one word struck and one inserted rather than two whole lines. Unchanged runs
longer than twice the context are folded. Every piece of text is escaped before it is
wrapped in <ins> or <del>: the diff of a malicious page is as inert as its source.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .merge import split_lines

CONTEXT = 3
EMPTY = mark_safe("")
# Words, runs of spaces and single other characters: "l'été, 2008" → l ' été , ␠ 2008.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Lines compared word by word only when they are this alike; otherwise a removed line
# and an added line read better than a mess of small changes.
PAIRING_RATIO = 0.4


@dataclass
class DiffLine:
    kind: str  # "same", "added", "removed", "changed", "fold"
    old_number: int | None = None
    new_number: int | None = None
    # For "changed": the old line with <del> and the new one with <ins>; otherwise the
    # escaped line (html_new is empty). For "fold": empty, `folded` says how many lines.
    html_old: SafeString = EMPTY
    html_new: SafeString = EMPTY
    folded: int = 0


@dataclass
class Diff:
    lines: list
    added: int
    removed: int

    @property
    def is_empty(self):
        return not (self.added or self.removed)


def _words(line):
    return _TOKEN.findall(line)


def word_diff(old, new):
    """(old line with <del> around removed words, new line with <ins> around added ones)."""
    a, b = _words(old), _words(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    old_html, new_html = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old_html.append(removed)
            new_html.append(added)
            continue
        if removed:
            old_html.append(f"<del>{removed}</del>")
        if added:
            new_html.append(f"<ins>{added}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def _similar(old, new):
    return SequenceMatcher(None, _words(old), _words(new), autojunk=False).ratio() >= PAIRING_RATIO


def diff_texts(old_text, new_text, *, context=CONTEXT):
    """The Diff of NEW_TEXT against OLD_TEXT, with CONTEXT unchanged lines around changes."""
    old, new = split_lines(old_text), split_lines(new_text)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    rows, added, removed = [], 0, 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(
                DiffLine("same", i + 1, j + 1, html_old=escape(old[i]))
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
            continue
        old_part, new_part = list(range(i1, i2)), list(range(j1, j2))
        # Pair changed lines in order while they look alike; the rest are removed or added.
        while old_part and new_part and _similar(old[old_part[0]], new[new_part[0]]):
            i, j = old_part.pop(0), new_part.pop(0)
            html_old, html_new = word_diff(old[i], new[j])
            rows.append(DiffLine("changed", i + 1, j + 1, html_old=html_old, html_new=html_new))
            added += 1
            removed += 1
        rows.extend(DiffLine("removed", i + 1, None, html_old=escape(old[i])) for i in old_part)
        rows.extend(DiffLine("added", None, j + 1, html_old=escape(new[j])) for j in new_part)
        removed += len(old_part)
        added += len(new_part)
    return Diff(lines=_fold(rows, context), added=added, removed=removed)


def _fold(rows, context):
    """Replaces runs of unchanged lines far from any change with one "fold" row."""
    changed = [n for n, row in enumerate(rows) if row.kind != "same"]
    if not changed:
        return [DiffLine("fold", folded=len(rows))] if rows else []
    keep = set()
    for n in changed:
        keep.update(range(max(0, n - context), min(len(rows), n + context + 1)))
    folded, run = [], 0
    for n, row in enumerate(rows):
        if n in keep:
            if run:
                folded.append(DiffLine("fold", folded=run))
                run = 0
            folded.append(row)
        else:
            run += 1
    if run:
        folded.append(DiffLine("fold", folded=run))
    return folded

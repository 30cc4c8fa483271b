"""A readable difference between two revisions of a page.

Lines are compared first (difflib); within a changed line, words are compared, so a fixed
typo shows as one word struck and one inserted rather than two whole lines. Unchanged runs
longer than twice the context are folded. Every piece of text is escaped before it is
wrapped in <ins> or <del>: the diff of a malicious page is as inert as its source.

A diff runs on a `Budget` (merge.py): lines are compared word by word only while it lasts
and when both are under GOINGSOLO_DIFF_WORD_MAX_CHARS; past it, changed lines are shown
removed and added whole. Every line of both texts is still shown.
"""

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from .merge import Budget, bounded_opcodes, equal_pairs, split_lines

CONTEXT = 3
EMPTY = mark_safe("")
# Words, runs of spaces and single other characters: "l'été, 2008" → l ' été , ␠ 2008.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Lines compared word by word only when they are this alike; otherwise a removed line
# and an added line read better than a mess of small changes.
PAIRING_RATIO = 0.4
# A longer run of removed or added lines is one row holding them all (numbered first to
# last): a page rewritten whole is one row on each side, not 100,000 to build and render.
BLOCK_LINES = 50


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
    # For a block of removed or added lines: the number of its last line.
    last_number: int | None = None


@dataclass
class Diff:
    lines: list
    added: int
    removed: int

    @property
    def is_empty(self):
        return not (self.added or self.removed)


def escape(text):
    """Django's escape without its lazy-string wrapper, ten times slower on 100,000 lines."""
    return SafeString(html.escape(text))


def _words(line):
    return _TOKEN.findall(line)


def word_diff(old, new, *, budget=None):
    """(old line with <del> around removed words, new line with <ins> around added ones)."""
    a, b = _words(old), _words(new)
    old_html, new_html = [], []
    for op, i1, i2, j1, j2 in bounded_opcodes(a, b, budget or Budget()):
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


def _comparable(old, new, budget):
    """True when OLD and NEW are alike enough to be compared word by word, and the budget
    allows it; the comparison is paid for twice (here and by word_diff)."""
    limit = settings.GOINGSOLO_DIFF_WORD_MAX_CHARS
    if len(old) > limit or len(new) > limit:
        return False
    a, b = _words(old), _words(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return budget.spend(2 * equal_pairs(a, b)) and matcher.ratio() >= PAIRING_RATIO


def diff_texts(old_text, new_text, *, context=CONTEXT, budget=None):
    """The Diff of NEW_TEXT against OLD_TEXT, with CONTEXT unchanged lines around changes,
    within BUDGET (by default the settings')."""
    budget = budget or Budget()
    old, new = split_lines(old_text), split_lines(new_text)
    opcodes = bounded_opcodes(old, new, budget)
    rows, added, removed = [], 0, 0
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            # Only the lines next to a change are shown (and escaped); the rest fold.
            lead = context if n > 0 else 0
            trail = context if n < len(opcodes) - 1 else 0
            if lead + trail < i2 - i1:
                rows.extend(_same(old, range(i1, i1 + lead), j1))
                rows.append(DiffLine("fold", folded=i2 - i1 - lead - trail))
                rows.extend(_same(old, range(i2 - trail, i2), j2 - trail))
            else:
                rows.extend(_same(old, range(i1, i2), j1))
            continue
        # Pair changed lines in order while they look alike; the rest are removed or added.
        while i1 < i2 and j1 < j2 and _comparable(old[i1], new[j1], budget):
            html_old, html_new = word_diff(old[i1], new[j1], budget=budget)
            rows.append(DiffLine("changed", i1 + 1, j1 + 1, html_old=html_old, html_new=html_new))
            i1, j1 = i1 + 1, j1 + 1
            added += 1
            removed += 1
        rows.extend(_whole_lines("removed", old, i1, i2))
        rows.extend(_whole_lines("added", new, j1, j2))
        removed += i2 - i1
        added += j2 - j1
    return Diff(lines=rows, added=added, removed=removed)


def _same(old, old_range, first_new):
    return [
        DiffLine("same", i + 1, first_new + n + 1, html_old=escape(old[i]))
        for n, i in enumerate(old_range)
    ]


def _whole_lines(kind, lines, start, end):
    """Rows of KIND ("removed" or "added") for LINES[START:END]: one per line, or one
    for them all past BLOCK_LINES."""
    numbers = {"removed": lambda i: (i + 1, None), "added": lambda i: (None, i + 1)}[kind]
    if end - start > BLOCK_LINES:
        block = escape("\n".join(lines[start:end]))
        return [DiffLine(kind, *numbers(start), html_old=block, last_number=end)]
    return [DiffLine(kind, *numbers(i), html_old=escape(lines[i])) for i in range(start, end)]

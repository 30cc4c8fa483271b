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
from itertools import accumulate

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
    rows, added, removed = [], 0, 0
    for op, i1, i2, j1, j2 in bounded_opcodes(old, new, budget):
        if op == "equal":
            rows.extend(
                DiffLine("same", i + 1, j + 1, html_old=escape(old[i]))
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
            continue
        # Pair changed lines in order while they look alike; the rest are removed or added.
        while i1 < i2 and j1 < j2 and _comparable(old[i1], new[j1], budget):
            html_old, html_new = word_diff(old[i1], new[j1], budget=budget)
            rows.append(DiffLine("changed", i1 + 1, j1 + 1, html_old=html_old, html_new=html_new))
            i1, j1 = i1 + 1, j1 + 1
            added += 1
            removed += 1
        old_part, new_part = range(i1, i2), range(j1, j2)
        rows.extend(DiffLine("removed", i + 1, None, html_old=escape(old[i])) for i in old_part)
        rows.extend(DiffLine("added", None, j + 1, html_old=escape(new[j])) for j in new_part)
        removed += len(old_part)
        added += len(new_part)
    return Diff(lines=_fold(rows, context), added=added, removed=removed)


def _fold(rows, context):
    """Replaces runs of unchanged lines far from any change with one "fold" row."""
    # changes_before[n]: changed rows among rows[:n], so a window's count is one subtraction.
    changes_before = [0, *accumulate(row.kind != "same" for row in rows)]
    if not changes_before[-1]:
        return [DiffLine("fold", folded=len(rows))] if rows else []
    folded, run = [], 0
    for n, row in enumerate(rows):
        window_start, window_end = max(0, n - context), min(len(rows), n + context + 1)
        if changes_before[window_end] > changes_before[window_start]:
            if run:
                folded.append(DiffLine("fold", folded=run))
                run = 0
            folded.append(row)
        else:
            run += 1
    if run:
        folded.append(DiffLine("fold", folded=run))
    return folded

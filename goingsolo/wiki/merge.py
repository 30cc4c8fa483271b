"""A line-based three-way merge (diff3) of wiki page texts.

Two members start from the same revision (the *base*); one saves first (*theirs*), the
other saves second (*mine*). Lines changed on one side only are taken from that side;
lines changed identically on both sides are taken once. A stretch changed differently
on both sides is a conflict, which the second editor resolves by hand.

One rule goes beyond the classic diff3: when both sides only *inserted* lines at the same
place (two people adding notes at the end of a page, the most common case on a notes
wiki), nothing is replaced, so both insertions are kept, theirs first — unless one
insertion extends the other, then the longer one is kept. The editor still reviews the
merged text before it is saved.

Texts are split on "\\n" (callers normalise line endings first), so a text and the same
text with a final newline differ by one empty last line.

Matching lines costs time that grows with the square of the repeated lines (a page of 2,000
identical lines takes seconds), so every comparison runs on a `Budget`: past it, the
changed stretch is compared as one block — a conflict when both sides changed it, never a
lost line (docs/wiki.md, "Limits and bad input").
"""

import time
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.conf import settings

CONFLICT_START = "<<<<<<<"
CONFLICT_SEPARATOR = "======="
CONFLICT_END = ">>>>>>>"


@dataclass
class Conflict:
    base: list[str]
    theirs: list[str]
    mine: list[str]


@dataclass
class MergeResult:
    # Lines (str) and conflicts, in order.
    chunks: list = field(default_factory=list)

    @property
    def conflicts(self):
        return [chunk for chunk in self.chunks if isinstance(chunk, Conflict)]

    @property
    def is_clean(self):
        return not self.conflicts

    def text(self, *, theirs_label="theirs", mine_label="mine"):
        """The merged text, each conflict between marker lines: theirs, then mine."""
        lines = []
        for chunk in self.chunks:
            if isinstance(chunk, Conflict):
                lines.append(f"{CONFLICT_START} {theirs_label}".rstrip())
                lines.extend(chunk.theirs)
                lines.append(CONFLICT_SEPARATOR)
                lines.extend(chunk.mine)
                lines.append(f"{CONFLICT_END} {mine_label}".rstrip())
            else:
                lines.append(chunk)
        return "\n".join(lines)


def split_lines(text):
    return text.split("\n") if text else []


class Budget:
    """What one diff or merge may spend: pairs of equal items compared (the work
    SequenceMatcher does grows with them) and seconds (GOINGSOLO_DIFF_MAX_PAIRS,
    GOINGSOLO_DIFF_MAX_SECONDS)."""

    def __init__(self, *, pairs=None, seconds=None):
        self.pairs = settings.GOINGSOLO_DIFF_MAX_PAIRS if pairs is None else pairs
        seconds = settings.GOINGSOLO_DIFF_MAX_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + seconds

    def spend(self, pairs):
        """True, and PAIRS spent, when they fit in what is left and time remains."""
        if pairs > self.pairs or time.monotonic() > self.deadline:
            return False
        self.pairs -= pairs
        return True


def equal_pairs(a, b):
    """How many (item of A, equal item of B) pairs there are: SequenceMatcher's work."""
    counts = Counter(b)
    return sum(counts[item] for item in a)


def bounded_opcodes(a, b, budget):
    """SequenceMatcher's opcodes from sequence A to B, computed on what lies between their
    common start and end. When that costs more than BUDGET has left, the middle is one
    "replace" (or "insert"/"delete"): coarser, but every item is still in the result."""
    n, m = len(a), len(b)
    start = 0
    while start < n and start < m and a[start] == b[start]:
        start += 1
    end = 0
    while end < n - start and end < m - start and a[n - 1 - end] == b[m - 1 - end]:
        end += 1
    middle_a, middle_b = a[start : n - end], b[start : m - end]
    opcodes = [("equal", 0, start, 0, start)] if start else []
    if middle_a and middle_b and budget.spend(equal_pairs(middle_a, middle_b)):
        matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        opcodes.extend(
            (op, i1 + start, i2 + start, j1 + start, j2 + start)
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
        )
    elif middle_a or middle_b:
        op = "replace" if middle_a and middle_b else ("delete" if middle_a else "insert")
        opcodes.append((op, start, n - end, start, m - end))
    if end:
        opcodes.append(("equal", n - end, n, m - end, m))
    return opcodes


def _matches(base, other, budget):
    """{index in base: index in other} for the lines kept unchanged."""
    found = {}
    for op, i1, i2, j1, _j2 in bounded_opcodes(base, other, budget):
        if op == "equal":
            found.update(zip(range(i1, i2), range(j1, j1 + i2 - i1), strict=True))
    return found


def _resolve(base, theirs, mine):
    """The lines of one unstable stretch, or a Conflict."""
    if theirs == mine:
        return theirs
    if theirs == base:
        return mine
    if mine == base:
        return theirs
    if not base:
        # Insertions only, at the same place: keep both, unless one extends the other.
        if mine[: len(theirs)] == theirs:
            return mine
        if theirs[: len(mine)] == mine:
            return theirs
        return theirs + mine
    return Conflict(base=base, theirs=theirs, mine=mine)


def merge3(base, theirs, mine, *, budget=None):
    """Merges the texts THEIRS and MINE, both edited from BASE; returns a MergeResult.
    Within BUDGET (by default the settings'), else with coarser conflicts."""
    budget = budget or Budget()
    o, a, b = split_lines(base), split_lines(theirs), split_lines(mine)
    in_a, in_b = _matches(o, a, budget), _matches(o, b, budget)
    result = MergeResult()
    i = ia = ib = 0
    while i < len(o) or ia < len(a) or ib < len(b):
        if i < len(o) and in_a.get(i) == ia and in_b.get(i) == ib:
            # A stable line: unchanged on both sides, at the place both expect it.
            result.chunks.append(o[i])
            i, ia, ib = i + 1, ia + 1, ib + 1
            continue
        # The next base line both sides kept closes the unstable stretch.
        k = next((k for k in range(i, len(o)) if k in in_a and k in in_b), None)
        if k is None:
            k, end_a, end_b = len(o), len(a), len(b)
        else:
            end_a, end_b = in_a[k], in_b[k]
        resolved = _resolve(o[i:k], a[ia:end_a], b[ib:end_b])
        if isinstance(resolved, Conflict):
            result.chunks.append(resolved)
        else:
            result.chunks.extend(resolved)
        i, ia, ib = k, end_a, end_b
    return result


def has_conflict_markers(text):
    """True when TEXT still holds the marker lines of an unresolved conflict."""
    starts = ends = False
    for line in split_lines(text):
        starts = starts or line.startswith(CONFLICT_START)
        ends = ends or line.startswith(CONFLICT_END)
    return starts and ends

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
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

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


def _matches(base, other):
    """{index in base: index in other} for the lines SequenceMatcher keeps unchanged."""
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    found = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            found[block.a + offset] = block.b + offset
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


def merge3(base, theirs, mine):
    """Merges the texts THEIRS and MINE, both edited from BASE; returns a MergeResult."""
    o, a, b = split_lines(base), split_lines(theirs), split_lines(mine)
    in_a, in_b = _matches(o, a), _matches(o, b)
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

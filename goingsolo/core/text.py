"""Cleaning of the short texts that name things: display names, group names, titles.

A name is shown in pages, in lists, in email headers (From and To display names, subjects)
and in the admins' mbox export. A line break in one splits a header in two; a zero-width
or bidirectional-override character makes two names look alike or reverses what follows
("\u202egpj.exe" reads "exe.jpg"). `clean_name` is the one cleaning, applied by the form
fields (`core.forms.NameField`) and, whatever the caller, when the row is saved
(`core.models.NameField`).
"""

import unicodedata

# Control characters (Cc: NUL, tab, line breaks…) and line and paragraph separators become
# spaces; format characters (Cf: zero-width spaces and joiners, bidirectional marks,
# embeddings, overrides and isolates, the byte-order mark) are dropped.
_AS_SPACE = frozenset({"Cc", "Zl", "Zp"})
_DROPPED = frozenset({"Cf"})


def clean_name(text):
    """TEXT without control, zero-width and bidirectional-formatting characters, on one
    line, its runs of spaces as one space, trimmed."""
    kept = []
    for char in text or "":
        category = unicodedata.category(char)
        if category in _AS_SPACE:
            kept.append(" ")
        elif category not in _DROPPED:
            kept.append(char)
    return " ".join("".join(kept).split())

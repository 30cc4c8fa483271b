"""Cleaning of the short texts that name things: display names, group names, titles.

A name is shown in pages, in lists, in email headers (From and To display names, subjects)
and in the admins' mbox export. A line break in one splits a header in two; a zero-width
or bidirectional-override character makes two names look alike or reverses what follows
("\u202egpj.exe" reads "exe.jpg"). `clean_name` is the one cleaning, applied by the form
fields (`core.forms.NameField`) and, whatever the caller, when the row is saved
(`core.models.NameField`).

`fit_names` is what services do with the names and titles they are given, whoever calls
them (a form, the mail handler, an import): clean each one and refuse, with a message
beside its field, one longer than its column — before anything is written. PostgreSQL
would otherwise end the request with a DataError, and SQLite would keep it whole.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def too_long_message(limit, length):
    """The one message of a name or title longer than LIMIT characters (LENGTH)."""
    return _("At most %(limit)d characters; this has %(length)d.") % {
        "limit": limit,
        "length": length,
    }


def fit_names(model, errors=None, **values):
    """VALUES (field name → text) cleaned by `clean_name`, as MODEL stores them; a
    ValidationError naming every field whose cleaned text is longer than its column
    (the field's `max_length`). Given ERRORS (a dict of a service that gathers its
    refusals), the messages go there instead and nothing is raised."""
    cleaned, found = {}, {}
    for name, value in values.items():
        cleaned[name] = clean_name(value)
        limit = model._meta.get_field(name).max_length
        if limit is not None and len(cleaned[name]) > limit:
            found[name] = too_long_message(limit, len(cleaned[name]))
    if errors is not None:
        errors.update(found)
    elif found:
        raise ValidationError(found)
    return cleaned

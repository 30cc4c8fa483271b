"""The rules of wiki pages a member can break, each written once with its message.

The forms call them in `clean()`, so a member reads the error beside the field; the services
call them again, since they are the last word for every caller (imports and the demo call
them without a form). Each returns the value as it is stored (spaces and line endings
tidied) or raises a ValidationError keyed by the field it concerns, so a form puts it where
it belongs with `form.add_error(None, error)`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from goingsolo.core.text import clean_name

from .merge import CONFLICT_END, CONFLICT_SEPARATOR, CONFLICT_START, has_conflict_markers
from .models import SUMMARY_MAX_CHARS, TITLE_MAX_CHARS


def normalise_text(text):
    """Line endings as "\\n" (browsers send "\\r\\n"), no trailing spaces or blank lines,
    no NUL characters (PostgreSQL cannot store them, and they mean nothing in a page)."""
    text = (text or "").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def clean_summary(summary):
    """An edit summary (or a rename's reason) on one line, cut at its limit."""
    return " ".join((summary or "").replace("\x00", "").split())[:SUMMARY_MAX_CHARS]


def clean_title(title):
    """A page's title: spaces tidied, not empty, not too long, and one a [[link]] can name."""
    title = clean_name(title)
    if not title:
        raise ValidationError({"title": _("Give the page a title.")})
    if len(title) > TITLE_MAX_CHARS:
        raise ValidationError(
            {
                "title": _("A title has at most %(limit)d characters; this one has %(count)d.")
                % {"limit": TITLE_MAX_CHARS, "count": len(title)}
            }
        )
    if "[" in title or "]" in title or "|" in title:
        # [[Title]] links could not name such a page.
        raise ValidationError({"title": _("A title cannot contain [, ] or |.")})
    return title


def clean_body(body):
    """A page's text: normalised, not empty, within GOINGSOLO_WIKI_PAGE_MAX_CHARS, and free
    of the markers of a conflict left unresolved."""
    body = normalise_text(body)
    if not body.strip():
        raise ValidationError({"body": _("Write the text of the page.")})
    limit = settings.GOINGSOLO_WIKI_PAGE_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            {
                "body": _(
                    "A page has at most %(limit)s characters; this text has %(count)s. "
                    "Split it into several pages."
                )
                % {
                    "limit": number_format(limit, force_grouping=True),
                    "count": number_format(len(body), force_grouping=True),
                }
            }
        )
    if has_conflict_markers(body):
        raise ValidationError(
            {
                "body": _(
                    "The text still holds conflict markers (lines starting with %(start)s, "
                    "%(middle)s and %(end)s). Keep the lines you want and remove the markers."
                )
                % {"start": CONFLICT_START, "middle": CONFLICT_SEPARATOR, "end": CONFLICT_END}
            }
        )
    return body

"""The rules of events a member can break, each written once with its message.

The forms call them in `clean()`, so a member reads the error beside the field; the
services call them again, since they are the last word for every caller (the demo, mail,
the API call them without a form). Each raises a ValidationError keyed by the field it
concerns, so a form puts it where it belongs with `form.add_error(None, error)` and a
service gathers several into one refusal.
"""

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from goingsolo.core import time_zones
from goingsolo.core.uploads import check_upload
from goingsolo.core.validators import validate_year

TITLE_MAX_CHARS = 200
CANCELLATION_MESSAGE_MAX_CHARS = 2000
MAX_QUESTIONS = 10
MAX_ANSWER_CHARS = 1000
SLIDES_MAX_BYTES = 50 * 1024 * 1024
# What core.uploads recognises of what speakers present with. Keynote files are zips
# core.uploads cannot tell from any other archive: speakers export them to PDF.
SLIDES_CONTENT_TYPES = {
    "application/pdf",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.ms-powerpoint",
}
# More than any venue or video call holds, far below what the database stores.
CAPACITY_MAX = 100_000
# How many yes answers an interest check may wait for.
THRESHOLD_MAX = 10_000


def validate_titles(title_en, title_fr):
    """An event has a title in English or in French (or both), neither too long."""
    errors = {}
    if not title_en and not title_fr:
        errors["title_en"] = _("Give the event a title, in English or in French.")
    for key, title in (("title_en", title_en), ("title_fr", title_fr)):
        if len(title) > TITLE_MAX_CHARS:
            errors[key] = _("A title has at most %(limit)d characters.") % {
                "limit": TITLE_MAX_CHARS
            }
    if errors:
        raise ValidationError(errors)


def validate_time_zone(name):
    """The event's zone is one the tz database knows (`core.time_zones`)."""
    try:
        time_zones.validate_time_zone(name)
    except ValidationError as error:
        raise ValidationError({"time_zone": error}) from None


def validate_years(**values):
    """Each date or datetime of VALUES (by field name) is in core.validators' years."""
    errors = {}
    for key, value in values.items():
        try:
            validate_year(value)
        except ValidationError as error:
            errors[key] = error
    if errors:
        raise ValidationError(errors)


def validate_times(starts_at, ends_at):
    """An event, or a talk, falls in the years we know, and ends after it starts."""
    validate_years(starts_at=starts_at, ends_at=ends_at)
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})


def validate_capacity(capacity):
    """No limit (None), or between one seat and CAPACITY_MAX."""
    if capacity is not None and not 1 <= capacity <= CAPACITY_MAX:
        raise ValidationError(
            {
                "capacity": _(
                    "An event has between 1 and %(limit)s seats; leave it empty for no limit."
                )
                % {"limit": number_format(CAPACITY_MAX, force_grouping=True)}
            }
        )


def validate_check_window(window_start, window_end):
    """The date window of an interest check ends on or after its start."""
    validate_years(window_start=window_start, window_end=window_end)
    if window_start and window_end and window_end < window_start:
        raise ValidationError({"window_end": _("The end of the window must come after its start.")})


def clean_cancellation_message(message):
    """The organiser's word to the people registered (cancelling, deleting), trimmed."""
    message = (message or "").strip()
    if len(message) > CANCELLATION_MESSAGE_MAX_CHARS:
        raise ValidationError(
            {
                "message": _("A message has at most %(limit)s characters.")
                % {"limit": number_format(CANCELLATION_MESSAGE_MAX_CHARS, force_grouping=True)}
            }
        )
    return message


def check_slides(upload):
    """UPLOAD, judged by its content (core.uploads, like post attachments), is a PDF,
    OpenDocument or PowerPoint presentation of at most SLIDES_MAX_BYTES; its name is made
    safe, with the extension of what it holds. Raises a ValidationError keyed "slides_file".
    """
    not_slides = ValidationError(
        {"slides_file": _("Slides are a PDF, OpenDocument or PowerPoint presentation.")}
    )
    try:
        checked = check_upload(upload, max_bytes=SLIDES_MAX_BYTES)
    except ValidationError as error:
        # The size and emptiness messages hold; the list of what posts take does not.
        raise (
            not_slides if error.code == "file_type" else ValidationError({"slides_file": error})
        ) from None
    if checked.content_type not in SLIDES_CONTENT_TYPES:
        raise not_slides
    upload.name = checked.name
    return upload

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

TITLE_MAX_CHARS = 200
CANCELLATION_MESSAGE_MAX_CHARS = 2000
MAX_QUESTIONS = 10
MAX_ANSWER_CHARS = 1000


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


def validate_times(starts_at, ends_at):
    """An event ends after it starts."""
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})


def validate_check_window(window_start, window_end):
    """The date window of an interest check ends on or after its start."""
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

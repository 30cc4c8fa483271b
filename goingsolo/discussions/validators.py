"""The rules a thread or post must follow, with their messages, written once: the services
apply them (the web, mail, the API and the demo all go through the services), and a form that
wants to tell a member early calls the same functions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from goingsolo.core.language import detect_language
from goingsolo.core.text import clean_name, too_long_message
from goingsolo.core.validators import validate_year

TITLE_MAX_CHARS = 200


def body_max_chars():
    return settings.GOINGSOLO_POST_MAX_CHARS


QUESTION_MAX_CHARS = 300  # Poll.question
OPTION_MAX_CHARS = 200  # PollOption.label
GUEST_NAME_MAX_CHARS = 200  # Post.guest_author_name


def clean_title(title):
    title = clean_name(title)
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    if len(title) > TITLE_MAX_CHARS:
        raise ValidationError(
            {"title": _("A title has at most %(limit)d characters.") % {"limit": TITLE_MAX_CHARS}}
        )
    return title


def clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    limit = body_max_chars()
    if len(body) > limit:
        raise ValidationError(
            {
                # "20,000" / "20 000": the reader's way of writing numbers (docs/voice.md).
                "body": _("A message has at most %(limit)s characters; this one has %(count)s.")
                % {
                    "limit": number_format(limit, force_grouping=True),
                    "count": number_format(len(body), force_grouping=True),
                }
            }
        )
    return body


def clean_poll(poll):
    question = clean_name(poll.get("question"))
    options = [clean_name(label) for label in poll.get("options", []) if clean_name(label)]
    if not question:
        raise ValidationError({"poll_question": _("Give the poll a question.")})
    if len(question) > QUESTION_MAX_CHARS:
        raise ValidationError(
            {"poll_question": too_long_message(QUESTION_MAX_CHARS, len(question))}
        )
    longest = max(options, key=len, default="")
    if len(longest) > OPTION_MAX_CHARS:
        raise ValidationError({"poll_options": too_long_message(OPTION_MAX_CHARS, len(longest))})
    if len(options) < 2:
        raise ValidationError({"poll_options": _("A poll needs at least two options.")})
    if len(options) > 20:
        raise ValidationError({"poll_options": _("A poll has at most 20 options.")})
    if len({option.lower() for option in options}) != len(options):
        raise ValidationError({"poll_options": _("Two options are the same.")})
    closes_at = poll.get("closes_at")
    try:
        validate_year(closes_at)
    except ValidationError as error:
        raise ValidationError({"poll_closes_at": error}) from None
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"poll_closes_at": _("The closing time must be in the future.")})
    return {
        "question": question,
        "options": options,
        "allows_multiple": bool(poll.get("allows_multiple")),
        "closes_at": closes_at,
    }


def clean_language(body, language):
    """(LANGUAGE, True) when the author chose one of the site's languages, else the language
    detected in BODY and False."""
    if language:
        if language not in settings.GOINGSOLO_LANGUAGES:
            raise ValidationError({"language": _("Choose one of this site’s languages.")})
        return language, True
    return detect_language(body), False

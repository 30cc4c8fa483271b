"""What every app's forms share.

`add_service_errors` is the one way a view shows a service's refusal on the form the member
filled in: services validate (they are the last word, whatever calls them) and raise
`ValidationError`, keyed by field or not; the view puts each message beside the field it
names, or at the top of the form when the form has no such field.

`signed_start` and `timing_signal` are the spam check the wiki's edit form and the post
forms share: a signed timestamp of when the form was shown, in a hidden `started` field; a
form sent back sooner than `GOINGSOLO_WIKI_MIN_SECONDS_TO_SUBMIT` after is a robot's.

`HoneypotMixin` adds the other check, a field people never see nor fill and robots do
(`website`): on the forms of content (posts, wiki edits) a filled one is a spam signal
that holds the content for a moderator; on the forms that make an account or a request
to join it refuses the form with a message that says so (docs/moderation.md, "Spam
signals").
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.utils.translation import gettext_lazy as _

from .text import clean_name

# The spam signals these checks report (the wiki's and discussions' HoldReason values).
TOO_FAST = "too_fast"
TIMESTAMP = "timestamp"
HONEYPOT = "honeypot"
_START_SALT = "goingsolo.wiki.edit-form"  # the wiki's first: forms already shown stay valid


def signed_start(at=None):
    """The value of a `started` field for a form shown at AT (now by default)."""
    return signing.dumps({"t": at if at is not None else time.time()}, salt=_START_SALT)


def timing_signal(value):
    """TOO_FAST when a form whose `started` field holds VALUE came back too soon to be a
    person's; TIMESTAMP when VALUE is missing or forged; None otherwise."""
    try:
        started = float(signing.loads(value or "", salt=_START_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TIMESTAMP
    if time.time() - started < settings.GOINGSOLO_WIKI_MIN_SECONDS_TO_SUBMIT:
        return TOO_FAST
    return None


# The honeypot's name: the wiki's first, so its edit forms already shown stay valid. Robots
# fill a "website" box readily.
HONEYPOT_FIELD = "website"


class HoneypotInput(forms.TextInput):
    """The honeypot as the page shows it: inside a box the site's stylesheet moves out of
    sight (`hp-field`; no inline style, the CSP forbids it), hidden from assistive
    technologies (`aria-hidden`), out of the tab order, never filled by the browser, and
    labelled "Leave this field empty" for a screen reader that reaches it anyway. It counts
    as a hidden field, so every form template renders it whole with the hidden fields, and
    it never shows back what was typed in it: a form sent again comes back clean."""

    template_name = "core/widgets/honeypot.html"
    is_hidden = True

    def __init__(self):
        super().__init__(attrs={"autocomplete": "off", "tabindex": "-1"})

    def format_value(self, value):
        return None


def honeypot_signal(data):
    """HONEYPOT when a form's DATA filled the honeypot in, None otherwise."""
    return HONEYPOT if (data.get(HONEYPOT_FIELD) or "").strip() else None


class HoneypotMixin:
    """Adds the honeypot to a form. `honeypot_refuses = True` (sign-up, requests to join:
    nothing to hold for a moderator there) makes a filled honeypot a form error, shown at
    the top of the form, with the rest of the form kept; otherwise the form is valid and
    `honeypot_signal(form.data)` is the spam signal its content is held for."""

    honeypot_refuses = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"), required=False, widget=HoneypotInput()
        )

    def clean(self):
        cleaned = super().clean()
        if self.honeypot_refuses and honeypot_signal(self.data):
            self.add_error(
                None,
                ValidationError(
                    _(
                        "A field hidden from view, which people leave empty, was filled in "
                        "(a browser’s autofill sometimes does it). Nothing was sent: check "
                        "the form and send it again."
                    ),
                    code=HONEYPOT,
                ),
            )
        return cleaned


class NameField(forms.CharField):
    """A name or title: cleaned by `clean_name` before any other check, so a name of
    invisible characters only is empty, and the length counted is the length stored."""

    def to_python(self, value):
        return clean_name(super().to_python(value))


def add_service_errors(
    form: BaseForm, error: ValidationError, *, fields: dict[str, str] | None = None
) -> None:
    """Puts the messages of ERROR, raised by a service, on FORM.

    FIELDS renames a service's field to the form's (``{"__all__": "avatar_upload"}`` puts
    errors that name no field beside the upload). A message for a field the form does not
    show goes to the form's own errors, so that nothing the service said is lost."""
    renames = fields or {}
    for name, messages in error.update_error_dict({}).items():
        target = renames.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)

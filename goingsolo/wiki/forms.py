"""Forms of the wiki. The edit form carries three things besides the text:

- the revision the editor started from (`base_revision`), to detect edit conflicts;
- a signed timestamp of when the form was shown (`started`): a form sent back faster
  than a person can read it is a spam signal, and the edit is held for review;
- a honeypot (`website`): a field people never see nor fill (hidden by the stylesheet,
  out of the tab order, labelled "leave empty" for screen readers), that spam robots fill.

Neither signal refuses an edit: a member mistaken for a robot only waits for a moderator.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import SUMMARY_MAX_CHARS, TITLE_MAX_CHARS
from .services import HoldReason, clean_body, clean_title, page_max_chars

SIGNER_SALT = "goingsolo.wiki.edit-form"


def min_seconds_to_submit():
    return settings.GOINGSOLO_WIKI_MIN_SECONDS_TO_SUBMIT


def signed_start(at=None):
    """The value of the `started` field for a form shown at AT (now by default)."""
    return signing.dumps({"t": at if at is not None else time.time()}, salt=SIGNER_SALT)


def timing_signals(value):
    """Spam signals from the `started` field's VALUE."""
    try:
        started = float(signing.loads(value or "", salt=SIGNER_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return [HoldReason.TIMESTAMP]
    if time.time() - started < min_seconds_to_submit():
        return [HoldReason.TOO_FAST]
    return []


def spam_signals(data):
    """Signals from a submitted form's DATA: the honeypot and the time to submit."""
    signals = timing_signals(data.get("started"))
    if data.get("website"):
        signals.append(HoldReason.HONEYPOT)
    return signals


class HoneypotInput(forms.TextInput):
    def __init__(self):
        super().__init__(attrs={"autocomplete": "off", "tabindex": "-1", "class": "wiki-hp-input"})


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_CHARS * 2, required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 22, "class": "wiki-editor", "spellcheck": "true"}),
    )
    summary = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=SUMMARY_MAX_CHARS,
        help_text=_("A few words on what you changed, for the page’s history."),
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=HoneypotInput()
    )
    # Shown only when the title is another page's former title (services.claim_former_title).
    take_over_former_title = forms.BooleanField(label=_("Take over this title"), required=False)

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        if not creating:
            del self.fields["title"]
            del self.fields["take_over_former_title"]
        limit = page_max_chars()
        self.fields["body"].help_text = _(
            "Markdown: **bold**, *italics*, # Heading, - list, [link](https://…), "
            "[[Page name]] for a page of this wiki. At most %(limit)s characters."
        ) % {"limit": number_format(limit, force_grouping=True)}
        if not self.is_bound:
            self.initial.setdefault("started", signed_start())

    def clean_title(self):
        try:
            return clean_title(self.cleaned_data.get("title"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["title"]) from None

    def clean_body(self):
        try:
            return clean_body(self.cleaned_data.get("body"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["body"]) from None

    def spam_signals(self):
        return spam_signals(self.data)


class RenameForm(forms.Form):
    title = forms.CharField(label=_("New title"), max_length=TITLE_MAX_CHARS * 2, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=SUMMARY_MAX_CHARS,
        help_text=_("Why the new title is better, for the page’s history."),
    )
    take_over_former_title = forms.BooleanField(label=_("Take over this title"), required=False)

    def clean_title(self):
        try:
            return clean_title(self.cleaned_data.get("title"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["title"]) from None


def offers_take_over(form):
    """True when FORM's title is another page's former title: the form then shows the box
    that takes it over (and keeps showing it once ticked)."""
    errors = form.errors.as_data().get("title", []) if form.is_bound else []
    return any(error.code == "former_title" for error in errors) or bool(
        form.is_bound and form.data.get("take_over_former_title")
    )


class UploadForm(forms.Form):
    # A plain file field: core.uploads judges the content, more strictly than ImageField.
    image = forms.FileField(label=_("Image"))

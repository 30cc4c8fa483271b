"""Forms of the wiki. The edit form carries three things besides the text:

- the revision the editor started from (`base_revision`), to detect edit conflicts;
- a signed timestamp of when the form was shown (`started`): a form sent back faster
  than a person can read it is a spam signal, and the edit is held for review;
- a honeypot (`core.forms.HoneypotMixin`, the post forms' too): a field people never see
  nor fill, that spam robots fill.

Neither signal refuses an edit: a member mistaken for a robot only waits for a moderator.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from goingsolo.core.forms import (
    HoneypotMixin,
    NameField,
    honeypot_signal,
    signed_start,
    timing_signal,
)
from goingsolo.core.validators import ID_MAX

from . import validators
from .models import SUMMARY_MAX_CHARS, TITLE_MAX_CHARS
from .services.review import HoldReason


def spam_signals(data):
    """Signals from a submitted form's DATA: the honeypot and the time to submit
    (`core.forms.timing_signal`, shared with the post forms)."""
    timing = timing_signal(data.get("started"))
    return [HoldReason(signal) for signal in (timing, honeypot_signal(data)) if signal]


class TitleForm(forms.Form):
    """A page's title (the rule: `validators.clean_title`), and the box that takes over
    another page's former title, shown only when the title is one (`offers_take_over`,
    `services.renaming.claim_former_title`)."""

    title = NameField(label=_("Title"), max_length=TITLE_MAX_CHARS * 2, required=False)
    take_over_former_title = forms.BooleanField(label=_("Take over this title"), required=False)

    def clean(self):
        cleaned = super().clean()
        _apply(self, cleaned, "title", validators.clean_title)
        return cleaned


class EditForm(HoneypotMixin, TitleForm):
    """A new page (CREATING: with its title) or a new text for a page."""

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
    base_revision = forms.IntegerField(required=False, max_value=ID_MAX, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["title", "body", "summary"]

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        if not creating:
            del self.fields["title"]
            del self.fields["take_over_former_title"]
        limit = settings.GOINGSOLO_WIKI_PAGE_MAX_CHARS
        self.fields["body"].help_text = _(
            "Markdown: **bold**, *italics*, # Heading, - list, [link](https://…), "
            "[[Page name]] for a page of this wiki. At most %(limit)s characters."
        ) % {"limit": number_format(limit, force_grouping=True)}
        if not self.is_bound:
            self.initial.setdefault("started", signed_start())

    def clean(self):
        cleaned = super().clean()
        _apply(self, cleaned, "body", validators.clean_body)
        return cleaned

    def spam_signals(self):
        return spam_signals(self.data)

    def service_fields(self):
        """The keywords of services.page_create (CREATING) or services.page_edit."""
        data = self.cleaned_data
        fields = {"body": data["body"], "summary": data["summary"], "signals": self.spam_signals()}
        if self.creating:
            fields["title"] = data["title"]
            fields["take_over_former_title"] = data["take_over_former_title"]
        else:
            fields["base_revision_id"] = data["base_revision"]
        return fields


class RenameForm(TitleForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=SUMMARY_MAX_CHARS,
        help_text=_("Why the new title is better, for the page’s history."),
    )

    field_order = ["title", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("New title")

    def service_fields(self):
        """The keywords of services.page_rename."""
        names = ("title", "reason", "take_over_former_title")
        return {name: self.cleaned_data[name] for name in names}


def _apply(form, cleaned, name, rule):
    """Cleans the field NAME of FORM, when it has it and its value passed the field's own
    checks, with RULE (one of `validators`): the value as stored, or RULE's error beside
    the field."""
    if name not in form.fields or name not in cleaned:
        return
    try:
        cleaned[name] = rule(cleaned[name])
    except ValidationError as error:
        form.add_error(None, error)


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

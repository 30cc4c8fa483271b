"""Forms of the discussion pages: they parse what a member sends; the services decide.

Title and message are not required here: the services say what is missing, in the words
the mail handler and the API use too, and the views put those messages on the fields.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from goingsolo.core.forms import (
    HoneypotMixin,
    NameField,
    honeypot_signal,
    signed_start,
    timing_signal,
)
from goingsolo.core.uploads import check_total, check_upload
from goingsolo.core.validators import ID_MAX, INTEGER_MAX, validate_year
from goingsolo.core.voice import language_name
from goingsolo.groups.models import NotificationLevel

from .models import Reaction, ThreadSubscription

MAX_FILES = 10


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


def language_choices():
    return [(code, language_name(code)) for code in settings.GOINGSOLO_LANGUAGES]


class AttachmentsMixin:
    """Checks each attached file by its content; cleans to [(CheckedUpload, file)]."""

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(
                ngettext(
                    "Attach at most %(limit)d file.", "Attach at most %(limit)d files.", MAX_FILES
                )
                % {"limit": MAX_FILES}
            )
        checked, errors = [], []
        for uploaded in files:
            try:
                checked.append((check_upload(uploaded), uploaded))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        check_total([result.size for result, _uploaded in checked])
        return checked


def attachments_field():
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_("Images (JPEG, PNG, GIF, WebP) and documents (PDF, office files, text)."),
        widget=MultipleFileInput(
            attrs={
                "accept": "image/jpeg,image/png,image/gif,image/webp,.pdf,.doc,.docx,.xls,"
                ".xlsx,.ppt,.pptx,.odt,.ods,.odp,.txt,.md,.csv"
            }
        ),
    )


def body_field(label=None, rows=8):
    return forms.CharField(
        label=label or _("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=_("Markdown works: **bold**, *italic*, lists, links, > quotes, @handle."),
    )


class TimedFormMixin(HoneypotMixin):
    """A signed timestamp of when the form was shown (`core.forms.signed_start`) and the
    honeypot (`core.forms.HoneypotMixin`): a post sent back sooner than a person types, or
    with the honeypot filled, is held for review, never refused (docs/moderation.md,
    "Spam signals")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial.setdefault("started", signed_start())

    def spam_signals(self):
        """The form's spam signals for the post services. A form without a timestamp (a
        script, a test, a page older than this check) reports no timing signal rather than
        hold every post it sends; a filled honeypot is a signal whatever the timestamp."""
        timing = timing_signal(self.data["started"]) if self.data.get("started") else None
        return [signal for signal in (timing, honeypot_signal(self.data)) if signal]


class ThreadForm(TimedFormMixin, AttachmentsMixin, forms.Form):
    title = NameField(label=_("Title"), required=False)
    body = body_field(rows=10)
    attachments = attachments_field()
    poll_question = forms.CharField(label=_("Question"), required=False, max_length=300)
    poll_options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    poll_multiple = forms.BooleanField(label=_("Several answers allowed"), required=False)
    poll_closes_at = forms.DateTimeField(
        label=_("Closes (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_year],
    )

    POLL_FIELDS = ("poll_question", "poll_options", "poll_multiple", "poll_closes_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The time is read in the zone the member chose (MemberPreferencesMiddleware).
        self.fields["poll_closes_at"].help_text = _("In your time zone: %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }

    @property
    def has_poll_data(self):
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.POLL_FIELDS)

    def poll(self):
        """The poll for thread_start, or None when no poll field was filled in."""
        data = self.cleaned_data
        if not (data.get("poll_question") or data.get("poll_options", "").strip()):
            return None
        return {
            "question": data["poll_question"],
            "options": data["poll_options"].splitlines(),
            "allows_multiple": data["poll_multiple"],
            "closes_at": data["poll_closes_at"],
        }


class ReplyForm(TimedFormMixin, AttachmentsMixin, forms.Form):
    body = body_field(label=_("Your reply"), rows=6)
    quoted_post = forms.IntegerField(required=False, max_value=ID_MAX, widget=forms.HiddenInput)
    attachments = attachments_field()


class PostEditForm(forms.Form):
    title = NameField(label=_("Title"), required=False)
    body = body_field(rows=12)

    def __init__(self, *args, with_title=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]


class ReactionForm(forms.Form):
    emoji = forms.ChoiceField(choices=Reaction.Emoji.choices)
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")], required=False)


class PollVoteForm(forms.Form):
    def __init__(self, *args, poll, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        options = poll.options.all() if options is None else options
        choices = [(option.pk, option.label) for option in options]
        field, widget = (
            (forms.TypedMultipleChoiceField, forms.CheckboxSelectMultiple)
            if poll.allows_multiple
            else (forms.TypedChoiceField, forms.RadioSelect)
        )
        self.fields["options"] = field(
            label=poll.question,
            choices=choices,
            coerce=int,
            widget=widget,
            error_messages={"required": _("Choose an option.")},
        )

    def option_ids(self):
        value = self.cleaned_data["options"]
        return value if isinstance(value, list) else [value]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of this post"), choices=language_choices)


SUBSCRIPTION_DEFAULT = "default"


class SubscriptionForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            (ThreadSubscription.State.FOLLOWING, pgettext_lazy("thread", "Follow")),
            (ThreadSubscription.State.MUTED, pgettext_lazy("thread", "Mute")),
            (SUBSCRIPTION_DEFAULT, _("Group’s setting")),
        ]
    )

    def state_value(self):
        state = self.cleaned_data["state"]
        return None if state == SUBSCRIPTION_DEFAULT else state


class NotificationLevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Notify me of"), choices=NotificationLevel.choices)


class ThreadFilterForm(forms.Form):
    """Filters of a group's thread list, read from the group page's query string."""

    threads = forms.ChoiceField(
        label=pgettext_lazy("thread filter", "Show"),
        required=False,
        choices=[
            ("", pgettext_lazy("thread filter", "All threads")),
            ("unanswered", pgettext_lazy("thread filter", "Unanswered")),
            ("following", pgettext_lazy("thread filter", "Following")),
        ],
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=INTEGER_MAX)

    def __init__(self, *args, logged_in=True, can_moderate=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", pgettext_lazy("language filter", "All languages")),
            *language_choices(),
        ]
        choices = list(self.fields["threads"].choices)
        if not logged_in:
            choices = [choice for choice in choices if choice[0] != "following"]
        if can_moderate:
            choices.append(("deleted", pgettext_lazy("thread filter", "Deleted")))
        self.fields["threads"].choices = choices

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None

    @property
    def fragment_key(self):
        """What the form's fields show: their choices and what the query string chose (the
        key of its fragment in `discussions/_group_section.html`, core/fragments.py)."""
        return (
            tuple(value for value, _label in self.fields["threads"].choices),
            self.data.get("threads", ""),
            self.data.get("language", ""),
        )


class ActivityFilterForm(forms.Form):
    """The language filter of the activity across a member's groups (home page)."""

    activity_language = forms.ChoiceField(label=_("Language"), required=False)
    activity_page = forms.IntegerField(required=False, min_value=1, max_value=INTEGER_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_language"].choices = [
            ("", pgettext_lazy("language filter", "All languages")),
            *language_choices(),
        ]

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None

    @property
    def fragment_key(self):
        """What the form shows: the language the query string chose (its choices are the
        site's languages, in the fragment's language). The key of its fragment in
        `discussions/_home_section.html` (core/fragments.py)."""
        return self.data.get("activity_language", "")


class MentionQueryForm(forms.Form):
    q = forms.CharField(max_length=40, required=False, strip=True)

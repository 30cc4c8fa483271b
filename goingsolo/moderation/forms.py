from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.core.validators import validate_year

from .models import Flag


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should the moderators look at it?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the moderators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what they should know. Only the moderators read it."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The member concerned reads it."),
    )


class SanctionForm(forms.Form):
    """A silence or a suspension: for how long, and why. "1 month" is 30 days; a date
    means until the start of that day, in the moderator's time zone."""

    DAY, WEEK, MONTH, DATE = "day", "week", "month", "date"
    PERIODS = {DAY: timedelta(days=1), WEEK: timedelta(days=7), MONTH: timedelta(days=30)}

    duration = forms.ChoiceField(
        label=_("For how long"),
        choices=[
            (DAY, _("1 day")),
            (WEEK, _("1 week")),
            (MONTH, _("1 month")),
            (DATE, _("Until a date")),
        ],
        initial=DAY,
        widget=forms.RadioSelect,
    )
    until_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("With “Until a date”: the member takes part again from that day on."),
        validators=[validate_year],
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The member reads it."),
        error_messages={"required": _("Say why: the member reads it.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("duration") == self.DATE:
            day = data.get("until_date")
            if day is None:
                if "until_date" not in self.errors:
                    self.add_error("until_date", _("Choose the date."))
            elif day <= timezone.localdate():
                self.add_error("until_date", _("Choose a date after today."))
        return data

    def until(self):
        """When the sanction ends, from the cleaned data."""
        data = self.cleaned_data
        if data["duration"] == self.DATE:
            start = datetime.combine(data["until_date"], time.min)
            return timezone.make_aware(start, timezone.get_current_timezone())
        return timezone.now() + self.PERIODS[data["duration"]]


class BanForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The member reads it."),
        error_messages={"required": _("Say why: the member reads it.")},
    )


KIND_CHOICES = [
    ("", pgettext_lazy("review queue filter", "Everything")),
    ("posts", _("Held posts")),
    ("flags", _("Flags")),
    ("edits", _("Held wiki edits")),
    ("emails", _("Held email")),
    ("requests", _("Requests to join")),
]


class QueueFilterForm(forms.Form):
    """What a group's queue shows: everything, or one kind of item (requests to join only
    for admins: WITH_REQUESTS)."""

    kind = forms.ChoiceField(
        label=pgettext_lazy("review queue filter", "Show"), choices=KIND_CHOICES, required=False
    )

    def __init__(self, *args, with_requests=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_requests:
            self.fields["kind"].choices = [c for c in KIND_CHOICES if c[0] != "requests"]


class StaffLogFilterForm(forms.Form):
    """The staff's log: one group or all. GROUPS: every group, loaded once by the view;
    the chosen one is `cleaned_data["group"]` (None for every group)."""

    group = forms.ChoiceField(label=_("Group"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self._groups = {group.slug: group for group in groups}
        self.fields["group"].choices = [
            ("", pgettext_lazy("review queue filter", "Every group")),
            *[(group.slug, group.name) for group in groups],
        ]

    def clean_group(self):
        return self._groups.get(self.cleaned_data["group"])


class StaffQueueFilterForm(StaffLogFilterForm, QueueFilterForm):
    """The staff's queue: a group and a kind."""

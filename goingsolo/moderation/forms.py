from django import forms
from django.utils.translation import gettext_lazy as _

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

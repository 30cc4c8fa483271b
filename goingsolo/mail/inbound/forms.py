from django import forms

from ..models import ListSettings


class ListSettingsForm(forms.ModelForm):
    class Meta:
        model = ListSettings
        fields = ["hold_new_threads"]

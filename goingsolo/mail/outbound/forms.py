from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Delivery


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("What this group sends you by email"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Digests come once a day or once a week, with what is new since the last one, "
            "and only when there is something new. Announcements from the group’s admins "
            "reach you whatever you choose, unless you choose nothing."
        ),
    )

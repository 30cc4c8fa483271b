from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .push import b64url_decode, endpoint_allowed


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("How other members see you. You can change it later."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "")
        user.save(update_fields=["display_name"])


def time_zone_choices():
    import zoneinfo

    zones = sorted(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))
    )
    return [("UTC", "UTC"), *[(zone, zone.replace("_", " ")) for zone in zones]]


def spoken_language_choices():
    from django.utils.translation import get_language_info

    from .models import SPOKEN_LANGUAGE_CODES

    return [(code, get_language_info(code)["name_translated"]) for code in SPOKEN_LANGUAGE_CODES]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    spoken_languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=spoken_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    read_languages = forms.MultipleChoiceField(
        label=_("Languages I read"),
        choices=lambda: [
            (code, name)
            for code, name in settings.LANGUAGES
            if code in settings.GOINGSOLO_LANGUAGES
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your home page shows discussions in these languages; leave all unticked to see every language."
        ),
    )
    avatar_upload = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP image; it is cropped to a square."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        from .models import User

        model = User
        fields = [
            "display_name",
            "handle",
            "bio",
            "city",
            "country",
            "time_zone",
            "spoken_languages",
            "read_languages",
            "language",
            "website",
            "skills",
            "open_to_work",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class PushSubscriptionForm(forms.Form):
    """A browser's push subscription, as `PushSubscription.toJSON()` gives it (the keys
    flattened): where the push service receives messages for it, and the keys that
    encrypt them."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def clean_endpoint(self):
        endpoint = self.cleaned_data["endpoint"]
        if not endpoint_allowed(endpoint):
            raise forms.ValidationError(
                _("This browser’s push service is not one this site sends notifications to.")
            )
        return endpoint

    def clean_p256dh(self):
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), b64url_decode(self.cleaned_data["p256dh"])
            )
        except ValueError:
            raise forms.ValidationError(
                _("The browser’s encryption key is not a valid P-256 public key.")
            ) from None
        return self.cleaned_data["p256dh"]

    def clean_auth(self):
        try:
            secret = b64url_decode(self.cleaned_data["auth"])
        except ValueError:
            secret = b""
        if len(secret) != 16:
            raise forms.ValidationError(_("The browser’s authentication secret is not valid."))
        return self.cleaned_data["auth"]

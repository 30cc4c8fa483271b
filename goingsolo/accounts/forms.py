from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from goingsolo.core import time_zones
from goingsolo.core.forms import HoneypotMixin, NameField

from .models import SPOKEN_LANGUAGE_CODES, User, language_name
from .push import b64url_decode, endpoint_allowed

# The zone a member has before choosing one; the profile form offers the browser's instead.
DEFAULT_TIME_ZONE = time_zones.UTC


class TimeZoneField(forms.CharField):
    """A zone typed or picked from the offered list (goingsolo.core.time_zones).

    Old names and the aliases browsers report are taken and stored as the zone they stand
    for ("Asia/Calcutta" → "Asia/Kolkata"). KEEP is a stored name that the list does not
    offer and nothing maps ("Etc/GMT+5"): kept when sent back unchanged, so a member who
    set it long ago can still save the rest of the form.
    """

    def __init__(self, *, keep="", **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)
        self.keep = keep

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        name = time_zones.canonical_name(value)
        if name is None and value == self.keep:
            return value
        if name is None:
            raise ValidationError(
                _(
                    "“%(zone)s” is not a time zone we know. Type a city and pick it from the "
                    "list, for example Europe/Zurich."
                ),
                params={"zone": value},
                code="time_zone",
            )
        return name


class SignupForm(HoneypotMixin, forms.Form):
    """Extra fields on allauth's sign-up form, and the honeypot: filled, the sign-up is
    refused with a message (there is no account to hold for a moderator)."""

    honeypot_refuses = True

    display_name = NameField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("How other members see you. You can change it later."),
    )
    # Filled in by accounts.js from the browser's own zone; without JavaScript it stays
    # empty and the member starts in UTC, which the profile form offers to change.
    time_zone = forms.CharField(
        max_length=64,
        required=False,
        widget=forms.HiddenInput(attrs={"data-guess-time-zone": "always"}),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data.get("display_name", "")
        # A guess: an unknown name is no reason to refuse someone's sign-up.
        user.time_zone = (
            time_zones.canonical_name(self.cleaned_data.get("time_zone", "")) or DEFAULT_TIME_ZONE
        )
        user.save(update_fields=["display_name", "time_zone"])


def spoken_language_choices():
    return [(code, language_name(code)) for code in SPOKEN_LANGUAGE_CODES]


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label=_("Time zone"),
        widget=forms.TextInput(
            attrs={"list": "time-zone-list", "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "Type a city or a country and pick your zone from the list. Times on the site "
            "and in emails are shown in it."
        ),
    )
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
            "Your home page shows threads in these languages; leave all unticked to see every language."
        ),
    )
    avatar_upload = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP image; it is cropped to a square."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    # The page's sections, in order: (id, title, field names). The template lays them out.
    SECTIONS = [
        (
            "about",
            _("About you"),
            ["display_name", "handle", "bio", "avatar_upload", "remove_avatar"],
        ),
        ("work", _("Work and location"), ["city", "country", "website", "skills", "open_to_work"]),
        ("languages", _("Languages"), ["language", "spoken_languages", "read_languages"]),
        ("time", _("Local time"), ["time_zone"]),
    ]

    class Meta:
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.time_zone or ""
        field = self.fields["time_zone"]
        field.keep = stored
        # An old name shows as the zone it stands for; saving the form stores that.
        self.initial["time_zone"] = time_zones.canonical_name(stored) or stored
        if not self.instance.avatar:
            del self.fields["remove_avatar"]
        if stored in ("", DEFAULT_TIME_ZONE):
            # Never chosen (or UTC chosen, which looks the same): accounts.js puts the
            # browser's zone in the field and says so; the member saves it or not.
            field.widget.attrs["data-guess-time-zone"] = "unset"

    @property
    def sections(self):
        """[(id, title, [bound fields])] in the order the page shows them."""
        return [
            (key, title, [self[name] for name in names if name in self.fields])
            for key, title, names in self.SECTIONS
        ]

    @staticmethod
    def time_zone_choices():
        return time_zones.choices()


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


class AccountDeleteForm(forms.Form):
    """Deleting one's account: what becomes of the posts, and the password again (a
    member who signs in by emailed code, with no password, types their address instead)."""

    KEEP, DELETE = "keep", "delete"
    posts = forms.ChoiceField(
        label=_("Your posts"),
        widget=forms.RadioSelect,
        choices=[
            (KEEP, _("Keep them, signed “Former member”")),
            (DELETE, _("Delete them")),
        ],
    )
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput, required=False, strip=False
    )
    email = forms.CharField(label=_("Your email address"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            del self.fields["email"]
            self.fields["password"].required = True
        else:
            del self.fields["password"]
            self.fields["email"].required = True

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."))
        return password

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise ValidationError(_("This is not the address you sign in with."))
        return email

    @property
    def keep_posts(self):
        return self.cleaned_data["posts"] == self.KEEP

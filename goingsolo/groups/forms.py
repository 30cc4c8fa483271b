from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from goingsolo.accounts.forms import spoken_language_choices
from goingsolo.core.forms import HoneypotMixin
from goingsolo.core.validators import validate_year
from goingsolo.core.voice import language_name

from .models import Group, Role


class GroupForm(forms.ModelForm):
    join_questions_text = forms.CharField(
        label=_("Questions for applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question per line. Applicants answer them when they ask to join."),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "slug",
            "description_en",
            "description_fr",
            "visibility",
            "join_policy",
            "rules",
            "holds_new_members_posts",
        ]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "rules": forms.Textarea(attrs={"rows": 4}),
            "visibility": forms.RadioSelect,
            "join_policy": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["join_questions_text"].initial = "\n".join(self.instance.join_questions)
            # The slug is in every email address and link already sent.
            del self.fields["slug"]

    # What group_create and group_update take from the form; the slug is set once, at creation.
    SERVICE_FIELDS = (
        "name",
        "description_en",
        "description_fr",
        "visibility",
        "join_policy",
        "rules",
        "join_questions",
        "holds_new_members_posts",
    )

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is reserved. Choose another one."))
        return slug

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("description_en") and not cleaned.get("description_fr"):
            self.add_error("description_en", _("Describe the group in English, French or both."))
        cleaned["join_questions"] = [
            line.strip()
            for line in cleaned.get("join_questions_text", "").splitlines()
            if line.strip()
        ]
        return cleaned


# Addresses the mail listener and the site use for themselves.
RESERVED_SLUGS = {
    "admin",
    "api",
    "postmaster",
    "abuse",
    "noreply",
    "bounces",
    "bounce",
    "mailer-daemon",
    "root",
    "www",
    "static",
    "media",
    "accounts",
    "groups",
    "new",
    "help",
    "support",
}


class JoinForm(HoneypotMixin, forms.Form):
    """Joining, or asking to join; a filled honeypot refuses the form with a message."""

    honeypot_refuses = True

    accept_rules = forms.BooleanField(label=_("I accept the group’s rules"), required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        if group.rules:
            self.fields["accept_rules"].required = True
            self.fields["accept_rules"].error_messages["required"] = _(
                "Accept the group’s rules to join."
            )
        else:
            del self.fields["accept_rules"]
        if group.join_policy == "approval":
            for index, question in enumerate(group.join_questions or []):
                self.fields[f"answer_{index}"] = forms.CharField(
                    label=question, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
                )

    @property
    def answers(self):
        return [
            self.cleaned_data[name]
            for name in sorted(
                (n for n in self.fields if n.startswith("answer_")),
                key=lambda n: int(n.split("_")[1]),
            )
        ]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("en", _("English")), ("fr", _("French"))],
    )
    only_invited_address = forms.BooleanField(
        label=_("Only for this address"),
        required=False,
        help_text=_(
            "The link then works only for someone signed in with this address: a forwarded "
            "invitation lets nobody else in."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    skill = forms.CharField(label=_("Skill"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language")), *spoken_language_choices()]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=None, required=False, empty_label=_("All my groups")
    )
    author = forms.CharField(
        label=_("Author"),
        max_length=100,
        required=False,
        help_text=_("A handle, like marie.dupont"),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_year],
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_year],
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["language"].choices = [("", _("Any language"))] + [
            (code, language_name(code)) for code in settings.GOINGSOLO_LANGUAGES
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

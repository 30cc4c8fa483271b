"""Forms of events. Each turns what was typed into what a service takes, with clear,
translated errors; the rules both check are in `validators.py`, and the services check
again, for the callers that are not forms.

One module, longer than one sitting because most of it declares fields (the event form has
nineteen): each form reads on its own, and splitting them would only scatter the pages'
labels and help texts.
"""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries
from django_countries.fields import CountryField

from goingsolo.accounts.models import User
from goingsolo.core import time_zones
from goingsolo.core.forms import NameField
from goingsolo.core.validators import validate_year

from . import recordings, validators
from .models import EVENT_FIELDS, EventKind, InterestAnswer, Speaker
from .reach import gazetteer

SLIDES_MAX_BYTES = validators.SLIDES_MAX_BYTES


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as read on a clock where the event happens: naive, the form
    attaches the event's time zone (not the viewer's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_validators = [validate_year]

    def to_python(self, value):
        with timezone.override(UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else None

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value


def time_zone_names():
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def _country_field(label):
    return CountryField(blank=True).formfield(label=label, required=False)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("event form", "Kind"), choices=EventKind.choices)
    title_en = NameField(
        label=_("Title in English"), max_length=validators.TITLE_MAX_CHARS, required=False
    )
    title_fr = NameField(
        label=_("Title in French"), max_length=validators.TITLE_MAX_CHARS, required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. Give at least a title in one of the two languages."),
    )
    description_fr = forms.CharField(
        label=_("Description in French"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    time_zone = forms.CharField(
        label=pgettext_lazy("event form", "Time zone"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
        help_text=_("Where the event happens, for example Europe/Zurich."),
    )
    starts_at = LocalDateTimeField(
        label=pgettext_lazy("event form", "Starts"), help_text=_("Local time at the event.")
    )
    ends_at = LocalDateTimeField(label=pgettext_lazy("event form", "Ends"))
    venue_name = NameField(
        label=pgettext_lazy("event form", "Venue"), max_length=200, required=False
    )
    address = forms.CharField(
        label=pgettext_lazy("event form", "Address"), max_length=300, required=False
    )
    city = forms.CharField(
        label=pgettext_lazy("event form", "City"), max_length=100, required=False
    )
    country = _country_field(pgettext_lazy("event form", "Country"))
    map_url = forms.URLField(
        label=pgettext_lazy("event form", "Map link"),
        required=False,
        assume_scheme="https",
        help_text=_("An OpenStreetMap link; left empty, one is made from the address."),
    )
    online_url = forms.URLField(
        label=pgettext_lazy("event form", "Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to people who have a seat."),
    )
    capacity = forms.IntegerField(
        label=pgettext_lazy("event form", "Seats"),
        required=False,
        min_value=1,
        max_value=validators.CAPACITY_MAX,
        help_text=_("Empty: no limit."),
    )
    registration_opens_at = LocalDateTimeField(
        label=pgettext_lazy("event form", "Registration opens"),
        required=False,
        help_text=_("Empty: now."),
    )
    registration_closes_at = LocalDateTimeField(
        label=pgettext_lazy("event form", "Registration closes"),
        required=False,
        help_text=_("Empty: when the event starts."),
    )
    questions_en = forms.CharField(
        label=_("Questions asked at registration, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, optional. In both languages like the title, line by line: people "
            "see them in their language. Answers are shown to the organisers."
        ),
    )
    questions_fr = forms.CharField(
        label=_("Questions asked at registration, in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    DATETIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    def __init__(self, *args, event=None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(event)
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_from(cls, event):
        initial = {name: getattr(event, name) for name in EVENT_FIELDS}
        for name in cls.DATETIME_FIELDS:
            value = getattr(event, name)
            initial[name] = value.astimezone(event.zone).replace(tzinfo=None) if value else None
        initial["questions_en"] = "\n".join(event.questions_en)
        initial["questions_fr"] = "\n".join(event.questions_fr)
        return initial

    def clean_questions_en(self):
        return _lines(self.cleaned_data["questions_en"])

    def clean_questions_fr(self):
        return _lines(self.cleaned_data["questions_fr"])

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        time_zones.validate_time_zone(name)
        return name

    def clean(self):
        cleaned = super().clean()
        _add_refusals(
            self,
            validators.validate_titles,
            cleaned.get("title_en", ""),
            cleaned.get("title_fr", ""),
        )
        zone = time_zones.known_zone(cleaned.get("time_zone") or "")
        for name in self.DATETIME_FIELDS:
            value = cleaned.get(name)
            if value is not None and zone is not None:
                cleaned[name] = value.replace(tzinfo=zone)
        _add_refusals(
            self, validators.validate_times, cleaned.get("starts_at"), cleaned.get("ends_at")
        )
        return cleaned

    def event_fields(self):
        """What `services.event_create` and `event_update` take."""
        fields = {name: self.cleaned_data[name] for name in EVENT_FIELDS}
        fields["city"] = " ".join(fields["city"].split())
        fields["country"] = fields["country"] or ""
        return fields


def _add_refusals(form, validate, *values):
    """Puts on FORM the errors VALIDATE (events/validators.py) raises for VALUES."""
    try:
        validate(*values)
    except ValidationError as error:
        form.add_error(None, error)


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RegistrationForm(forms.Form):
    """The event's questions; the button pressed says going, interested or not going."""

    def __init__(self, *args, event, registration=None, **kwargs):
        super().__init__(*args, **kwargs)
        previous = {}
        if registration is not None:
            previous = event.answers_by_position(registration.answers)
        for index, question in enumerate(event.questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question,
                required=False,
                max_length=1000,
                initial=previous.get(index, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self):
        return {
            int(name.split("_")[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class MessageForm(forms.Form):
    subject = forms.CharField(label=pgettext_lazy("event form", "Subject"), max_length=200)
    body = forms.CharField(
        label=pgettext_lazy("event form", "Message"), widget=forms.Textarea(attrs={"rows": 8})
    )


class CancellationForm(forms.Form):
    """The organiser's word to the people registered, when cancelling or deleting."""

    message = forms.CharField(
        label=_("Message to the people registered (optional)"),
        required=False,
        max_length=validators.CANCELLATION_MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent with the news by email, and posted in the event’s announcement thread."),
    )


class SpeakerForm(forms.Form):
    handle = forms.CharField(
        label=pgettext_lazy("event form", "Member"),
        required=False,
        help_text=_("The @handle of a member of the group; leave empty for a guest."),
    )
    name = NameField(
        label=pgettext_lazy("event form", "Name"),
        max_length=120,
        required=False,
        help_text=_("Empty for a member: their display name is used."),
    )
    bio = forms.CharField(
        label=pgettext_lazy("event form", "Bio"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Empty for a member: the bio of their profile is used."),
    )
    website = forms.URLField(
        label=pgettext_lazy("event form", "Website"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, group, **kwargs):
        self.group = group
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(speaker):
        """The form's first values for SPEAKER (none for a new one)."""
        if speaker is None:
            return {}
        return {
            "handle": speaker.user.handle if speaker.user else "",
            "name": speaker.name,
            "bio": speaker.bio,
            "website": speaker.website,
        }

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip().lstrip("@")
        if not handle:
            self.cleaned_data["user"] = None
            return ""
        user = User.objects.filter(
            handle__iexact=handle, memberships__group=self.group, is_active=True
        ).first()
        if user is None:
            raise ValidationError(_("No member of the group has this handle."))
        self.member = user
        return handle

    def clean(self):
        cleaned = super().clean()
        cleaned["user"] = getattr(self, "member", None)
        if not cleaned.get("name") and cleaned["user"] is None and "handle" not in self.errors:
            self.add_error("name", _("Give the speaker’s name, or the handle of a member."))
        return cleaned

    def speaker_fields(self):
        """What `services.speaker_save` takes."""
        return {name: self.cleaned_data[name] for name in ("user", "name", "bio", "website")}


class TalkForm(forms.Form):
    title = NameField(label=pgettext_lazy("event form", "Title"), max_length=200)
    abstract = forms.CharField(
        label=pgettext_lazy("event form", "Abstract"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(label=_("Language of the talk"), choices=settings.LANGUAGES)
    speakers = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("event form", "Speakers"),
        queryset=Speaker.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = LocalDateTimeField(
        label=pgettext_lazy("event form", "Starts"), help_text=_("Local time at the event.")
    )
    ends_at = LocalDateTimeField(label=pgettext_lazy("event form", "Ends"))
    room = forms.CharField(
        label=pgettext_lazy("event form", "Room"), max_length=100, required=False
    )
    recording_url = forms.CharField(
        label=pgettext_lazy("event form", "Recording"),
        required=False,
        max_length=500,
        help_text=_("After the event: the address of the video on YouTube, Vimeo or PeerTube."),
    )
    slides_url = forms.URLField(
        label=pgettext_lazy("event form", "Slides (link)"), required=False, assume_scheme="https"
    )
    slides_file = forms.FileField(
        label=pgettext_lazy("event form", "Slides (file)"),
        required=False,
        help_text=_("PDF, OpenDocument or PowerPoint, up to 50 MB."),
    )

    def __init__(self, *args, event, talk=None, **kwargs):
        self.event = event
        if talk is not None and "initial" not in kwargs:
            zone = event.zone
            kwargs["initial"] = {
                "title": talk.title,
                "abstract": talk.abstract,
                "language": talk.language,
                "speakers": list(talk.speakers.all()),
                "starts_at": talk.starts_at.astimezone(zone).replace(tzinfo=None),
                "ends_at": talk.ends_at.astimezone(zone).replace(tzinfo=None),
                "room": talk.room,
                "recording_url": talk.recording_url,
                "slides_url": talk.slides_url,
            }
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = Speaker.objects.filter(event=event)

    def clean_recording_url(self):
        url = self.cleaned_data["recording_url"].strip()
        if url:
            recordings.parse_recording(url)
        return url

    def clean_slides_file(self):
        upload = self.cleaned_data.get("slides_file")
        if not upload:
            return None
        try:
            return validators.check_slides(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict["slides_file"]) from None

    def clean(self):
        cleaned = super().clean()
        zone = self.event.zone
        for name in ("starts_at", "ends_at"):
            if cleaned.get(name) is not None:
                cleaned[name] = cleaned[name].replace(tzinfo=zone)
        return cleaned

    def talk_fields(self):
        """What `services.talk_save` takes."""
        fields = {name: self.cleaned_data[name] for name in self.fields}
        fields["speakers"] = list(fields["speakers"])
        return fields


class InterestCheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    city = forms.CharField(
        label=pgettext_lazy("event form", "City"),
        max_length=100,
        widget=forms.TextInput(attrs={"list": "member-cities"}),
    )
    country = _country_field(pgettext_lazy("event form", "Country"))
    window_start = forms.DateField(
        label=pgettext_lazy("event form", "From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_year],
    )
    window_end = forms.DateField(
        label=pgettext_lazy("event form", "Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_year],
    )
    threshold = forms.IntegerField(
        label=_("We go ahead at"),
        min_value=1,
        max_value=validators.THRESHOLD_MAX,
        help_text=_("How many yes answers you need to commit."),
    )
    note = forms.CharField(
        label=_("What you have in mind"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # In the organiser's own time zone (the middleware activates it).
    closes_at = forms.DateTimeField(
        label=_("Answers until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_year],
        help_text=_(
            "Optional. Those who have not answered are reminded two days before. Empty: "
            "until you close the question."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        _add_refusals(
            self,
            validators.validate_check_window,
            cleaned.get("window_start"),
            cleaned.get("window_end"),
        )
        return cleaned


class InterestAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Would you come?"),
        choices=InterestAnswer.Answer.choices,
        widget=forms.RadioSelect,
    )
    from_city = forms.CharField(
        label=_("From which city?"),
        max_length=100,
        required=False,
        help_text=_("Optional; empty means the city of your profile."),
    )
    from_country = _country_field(pgettext_lazy("event form", "Country"))


class ReachForm(forms.Form):
    def clean_country(self):
        code = (self.cleaned_data.get("country") or "").strip().upper()
        if code and code not in dict(countries):
            raise forms.ValidationError(_("Give a country’s two-letter code, for example CH."))
        return code

    city = forms.CharField(
        label=pgettext_lazy("event form", "City"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "member-cities"}),
    )
    radius = forms.TypedChoiceField(
        label=_("Near means within"),
        coerce=int,
        required=False,
        empty_value=gazetteer.DEFAULT_RADIUS_KM,
        choices=[
            (km, pgettext_lazy("radius", "the city only") if km == 0 else f"{km} km")
            for km in gazetteer.RADIUS_CHOICES_KM
        ],
        initial=gazetteer.DEFAULT_RADIUS_KM,
    )
    # A code typed or picked from a list (`countries` in the page): a select of 250
    # countries costs more to render than the rest of the reach page.
    country = forms.CharField(
        label=pgettext_lazy("event form", "Country"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"list": "countries", "size": 4}),
        help_text=_("Its two-letter code, for example CH."),
    )
    threshold = forms.IntegerField(
        label=_("We go ahead at"),
        required=False,
        min_value=1,
        max_value=validators.THRESHOLD_MAX,
    )
    online_at = forms.DateTimeField(
        label=_("For an online event: who is awake at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_year],
        help_text=_("In your time zone. Counts members for whom it is between 8:00 and 22:00."),
    )


def event_initial_from_check(check, time_zone):
    """An event form's first values for a check that becomes an event."""
    zone = time_zones.known_zone(time_zone) or zoneinfo.ZoneInfo(time_zones.UTC)
    starts = datetime.combine(check.window_start, time(10, 0))
    return {
        "kind": check.kind,
        "city": check.city,
        "country": check.country,
        "time_zone": str(zone),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=7),
        "description_en": check.note,
    }

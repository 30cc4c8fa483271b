"""Forms of a barcamp: each turns what was typed into what a service takes, with clear,
translated errors; the services check again for callers that are not forms."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goingsolo.accounts.models import User
from goingsolo.core.dates import format_when
from goingsolo.core.forms import NameField
from goingsolo.events.forms import LocalDateTimeField
from goingsolo.events.models import RegistrationStatus

from .models import DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS, Session, SessionKind, Slot


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProposalForm(forms.Form):
    title = NameField(label=pgettext_lazy("barcamp form", "Title"), max_length=TITLE_MAX_CHARS)
    description = forms.CharField(
        label=_("Short description"),
        required=False,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few lines: what you will talk about, or what you want to find out."),
    )
    language = forms.ChoiceField(
        label=_("Language of the session"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("barcamp form", "Kind"),
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        initial=SessionKind.DISCUSSION,
    )

    def session_fields(self):
        data = self.cleaned_data
        return {key: data[key] for key in ("title", "description", "language", "kind")}


class WallProposalForm(ProposalForm):
    """What the organiser types at the wall: a sticky note, its facilitator and its dots."""

    facilitator = ParticipantChoiceField(
        label=_("Facilitator"), queryset=Session.objects.none(), empty_label=None
    )
    wanted_by = ParticipantsField(
        label=_("Also wanted by"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["facilitator", "title", "language", "kind", "description", "wanted_by"]

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = participants
        self.fields["wanted_by"].queryset = participants


class WallVotesForm(forms.Form):
    """Someone's votes, entered for them at the wall."""

    participant = ParticipantChoiceField(
        label=_("Participant"), queryset=Session.objects.none(), empty_label=None
    )
    sessions = forms.ModelMultipleChoiceField(
        label=_("Sessions they want to attend"),
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, participants, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["sessions"].queryset = Session.objects.filter(event=event).order_by("title")


class RoomForm(forms.Form):
    name = NameField(label=pgettext_lazy("barcamp room", "Name"), max_length=100)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10_000)


class SlotForm(forms.Form):
    starts_at = LocalDateTimeField(
        label=pgettext_lazy("barcamp slot", "Starts"), help_text=_("Local time at the event.")
    )
    ends_at = LocalDateTimeField(label=pgettext_lazy("barcamp slot", "Ends"))

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        zone = self.event.zone
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = data[name].replace(tzinfo=zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise ValidationError({"ends_at": _("The slot must end after it starts.")})
        return data


class SlotsForm(forms.Form):
    """The slots a facilitator cannot make."""

    slots = forms.ModelMultipleChoiceField(
        label=_("Slots I cannot make"),
        queryset=Slot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].queryset = Slot.objects.filter(event=event)
        zone = event.zone
        self.fields["slots"].label_from_instance = lambda slot: " – ".join(
            format_when(moment, "time", zone=zone) for moment in (slot.starts_at, slot.ends_at)
        )


class MoveForm(forms.Form):
    """A session's new cell, "room:slot", or out of the grid."""

    cell = forms.ChoiceField(label=_("Cell"))

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = {room.pk: room for room in grid.rooms}
        self.slots = {row.slot.pk: row.slot for row in grid.rows}
        self.fields["cell"].choices = [("", _("Out of the grid"))] + [
            (f"{cell.room.pk}:{cell.slot.pk}", "") for row in grid.rows for cell in row.cells
        ]

    def clean_cell(self):
        value = self.cleaned_data["cell"]
        if not value:
            return None
        room_id, slot_id = (int(part) for part in value.split(":"))
        return self.rooms[room_id], self.slots[slot_id]


def participants_of(event):
    """EVENT's participants (a seat), by name: the wall's choices."""
    return User.objects.filter(
        event_registrations__event=event, event_registrations__status=RegistrationStatus.GOING
    ).order_by("display_name", "pk")

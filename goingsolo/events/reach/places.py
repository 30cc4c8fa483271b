"""Where a member lives, as the reach page counts them, and the question their profile asks
when the gazetteer cannot place their city (`accounts/profile_sections.py`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from goingsolo.accounts.profile_sections import Section

from ..models import MemberPlace
from . import gazetteer


def resolve_member(city, country, chosen_city=None, chosen_id=None):
    """The Resolution of a member's CITY in COUNTRY; CHOSEN_CITY and CHOSEN_ID: their
    MemberPlace, which holds while the profile says the same city."""
    chosen = (
        chosen_id
        if chosen_city and gazetteer.normalise(chosen_city) == gazetteer.normalise(city)
        else None
    )
    return gazetteer.resolve(city or "", str(country or ""), chosen)


def member_resolution(user):
    row = MemberPlace.objects.filter(user=user).values_list("city", "geonameid").first()
    return resolve_member(user.city, user.country, *(row or (None, None)))


class PlaceChoiceForm(forms.Form):
    geonameid = forms.TypedChoiceField(
        label=_("Which one?"), coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["geonameid"].choices = [(place.geonameid, place.label) for place in candidates]


def profile_section(request):
    """The member's place on the map: said when found, asked when ambiguous or unknown."""
    user = request.user
    if not user.is_authenticated or not (user.city or "").strip():
        return None
    resolution = member_resolution(user)
    form = None
    if resolution.status == gazetteer.Status.AMBIGUOUS:
        form = PlaceChoiceForm(candidates=resolution.candidates)
    return Section(
        template="events/_profile_place.html",
        context={"resolution": resolution, "form": form, "city": user.city},
        order=100,
    )

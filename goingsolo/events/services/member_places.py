"""Where a member lives, when the city on their profile names several places."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import MemberPlace
from ..reach import gazetteer


@transaction.atomic
def member_place_choose(*, user, geonameid):
    """USER says which of the places called like their profile's city they live in.
    Returns the MemberPlace. A place that is not one of those candidates is refused."""
    choices = {
        place.geonameid for place in gazetteer.candidates(user.city, str(user.country or ""))
    }
    if geonameid not in choices:
        raise ValidationError({"geonameid": _("Choose one of the places in the list.")})
    row, _created = MemberPlace.objects.update_or_create(
        user=user,
        defaults={"city": user.city, "geonameid": geonameid, "chosen_at": timezone.now()},
    )
    return row

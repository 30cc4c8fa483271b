from datetime import timedelta

import pytest
from django.utils import timezone

from goingsolo.events import services
from goingsolo.groups.models import Role
from tests.factories import member_of


@pytest.fixture
def organiser(group):
    return member_of(group, Role.ADMIN, display_name="Stephanie", language="en")


def event_fields(**overrides):
    start = timezone.now() + timedelta(days=10)
    fields = {
        "kind": "meetup",
        "title_en": "Coffee and co-working",
        "title_fr": "Café et coworking",
        "description_en": "We meet, we work, we talk.",
        "description_fr": "On se retrouve, on travaille, on discute.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "time_zone": "Europe/Zurich",
        "venue_name": "La Forge",
        "address": "Rue de Genève 17",
        "city": "Lausanne",
        "country": "CH",
        "capacity": None,
    }
    fields.update(overrides)
    return fields


def open_interest_check(
    group, by, *, threshold, kind="barcamp", city="Lausanne", days=(0, 30), **fields
):
    """An interest check of GROUP opened by BY, whose window runs from DAYS[0] to DAYS[1]
    days from today; FIELDS: more of `interest_check_open`'s."""
    today = timezone.localdate()
    return services.interest_check_open(
        group=group,
        by=by,
        kind=kind,
        city=city,
        window_start=today + timedelta(days=days[0]),
        window_end=today + timedelta(days=days[1]),
        threshold=threshold,
        **fields,
    )


@pytest.fixture
def make_event(group, organiser, django_capture_on_commit_callbacks):
    def make(by=None, in_group=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return services.event_create(
                group=in_group or group, by=by or organiser, **event_fields(**overrides)
            )

    return make


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Registers USER for EVENT as a web request would, running what it queues."""

    def run(event, user, status="going", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.registration_set(event=event, user=user, status=status, **kwargs)

    return run

"""What the barcamp's tests share: a barcamp event with its organiser, participants
registered for it, rooms and slots."""

from datetime import timedelta

import pytest
from django.utils import timezone

from goingsolo.barcamp import services
from goingsolo.events import services as event_services
from goingsolo.groups.models import Role
from tests.events.conftest import event_fields
from tests.factories import member_of


@pytest.fixture
def organiser(group):
    return member_of(group, Role.ADMIN, display_name="Stephanie", language="en")


@pytest.fixture
def barcamp(group, organiser, django_capture_on_commit_callbacks):
    """SoloCamp in ten days, 9:00 to 17:00 in Lausanne."""
    start = (timezone.now() + timedelta(days=10)).replace(hour=7, minute=0, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        return event_services.event_create(
            group=group,
            by=organiser,
            **event_fields(
                kind="barcamp",
                title_en="SoloCamp",
                title_fr="SoloCamp",
                starts_at=start,
                ends_at=start + timedelta(hours=8),
            ),
        )


@pytest.fixture
def participant(group, barcamp, django_capture_on_commit_callbacks):
    """A new member of the group with a seat at the barcamp."""

    def make(name="", **fields):
        user = member_of(group, display_name=name or "Participant", **fields)
        with django_capture_on_commit_callbacks(execute=True):
            event_services.registration_set(event=barcamp, user=user, status="going")
        return user

    return make


@pytest.fixture
def rooms(barcamp, organiser):
    return [
        services.room_add(event=barcamp, by=organiser, name="Grande salle", capacity=30),
        services.room_add(event=barcamp, by=organiser, name="Atelier", capacity=10),
    ]


@pytest.fixture
def slots(barcamp, organiser):
    """Three slots of an hour, from 10:00 (event's clock: the event starts at 9:00)."""
    first = barcamp.starts_at + timedelta(hours=1)
    return [
        services.slot_add(
            event=barcamp,
            by=organiser,
            starts_at=first + timedelta(hours=index),
            ends_at=first + timedelta(hours=index, minutes=50),
        )
        for index in range(3)
    ]


@pytest.fixture
def propose(barcamp, django_capture_on_commit_callbacks):
    def make(by, title="Pricing your work", **fields):
        fields = {"language": "en", "kind": "discussion", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return services.session_propose(event=barcamp, by=by, title=title, **fields)

    return make

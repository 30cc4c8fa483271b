"""The demo's barcamps: SoloCamp Leeds with its published grid and notes, and the
French-speaking SoloCamp in Lausanne with proposals and votes open."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from goingsolo.barcamp import scheduling, selectors
from goingsolo.barcamp.models import Placement, Session, Wish
from goingsolo.events.models import Event, Talk
from goingsolo.wiki.models import Revision

pytestmark = pytest.mark.django_db


def test_the_demo_brings_a_published_solocamp_in_leeds_and_an_open_one_in_lausanne():
    call_command("demo", stdout=io.StringIO())
    leeds = Event.objects.get(kind="barcamp", city="Leeds", starts_at__gt=timezone.now())
    assert leeds.going_count == 20
    assert leeds.barcamp.is_published
    sessions = Session.objects.filter(event=leeds)
    assert sessions.count() == 12
    assert Placement.objects.filter(session__event=leeds, published=True).count() == 12
    assert Talk.objects.filter(event=leeds).count() == 12  # the grid is the agenda
    problem = selectors.problem_for(leeds)
    assert scheduling.violations(problem, selectors.assignments_of(leeds)) == []
    assert all(session.notes_page_id for session in sessions)
    notes = Session.objects.get(event=leeds, title="Pricing your work").notes_page
    assert "Day rate or project rate?" in notes.current_revision.body
    assert notes.current_revision.status == Revision.Status.APPROVED

    lausanne = Event.objects.get(kind="barcamp", city="Lausanne")
    assert not selectors.barcamp_state(lausanne).is_published
    assert Session.objects.filter(event=lausanne, language="fr").count() == 5
    assert Wish.objects.filter(session__event=lausanne).count() > 10
    assert not Placement.objects.filter(session__event=lausanne).exists()

    counts = (Session.objects.count(), Wish.objects.count(), Talk.objects.count())
    call_command("demo", "--force", stdout=io.StringIO())
    assert (Session.objects.count(), Wish.objects.count(), Talk.objects.count()) == counts

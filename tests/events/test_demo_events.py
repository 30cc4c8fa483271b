"""The demo's events: the 2008 conference, a meetup coming up, an open interest check."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from goingsolo.events import selectors
from goingsolo.events.models import Event, InterestCheck, Registration, Talk
from goingsolo.events.recordings import parse_recording

pytestmark = pytest.mark.django_db


def test_the_demo_brings_the_2008_conference_a_meetup_and_a_solocamp_check():
    call_command("demo", stdout=io.StringIO())
    conference = Event.objects.get(kind="conference")
    assert conference.group.slug == "going-solo" and conference.city == "Lausanne"
    assert conference.starts_at.year == 2008 and conference.is_past
    talks = Talk.objects.filter(event=conference)
    assert talks.count() >= 5
    providers = {parse_recording(talk.recording_url).provider for talk in talks}
    assert providers == {"youtube", "vimeo", "peertube"}
    assert Registration.objects.filter(event=conference, checked_in_at__isnull=False).count() >= 10

    meetup = Event.objects.get(kind="meetup")
    assert meetup.group.slug == "going-solo-leeds" and meetup.starts_at > timezone.now()
    assert meetup.announcement_thread is not None and meetup.going_count >= 5

    check = InterestCheck.objects.get(city="Lausanne")
    assert (check.kind, check.status) == ("barcamp", "open")
    assert 0 < check.threshold - check.yes_count <= 3  # close to its threshold
    assert check.announcement_thread is None  # the demo tells nobody

    solocamp = Event.objects.get(kind="barcamp", starts_at__year=2009)
    assert solocamp.group.slug == "going-solo-leeds" and solocamp.starts_at.year == 2009
    came = Registration.objects.filter(event=solocamp, checked_in_at__isnull=False).count()
    assert 0 < came < solocamp.going_count

    # The seed's story, told by the numbers: Leeds is exhausted, Lausanne within reach.
    leeds = InterestCheck.objects.get(city="Leeds")
    report = selectors.reach(group=leeds.group, check=leeds)
    assert report.exhaustion.exhausted and report.turnout is not None
    assert report.verdict.startswith(("Out of reach", "Unlikely"))
    lausanne = selectors.reach(group=check.group, check=check)
    assert lausanne.verdict.startswith("Within reach") and lausanne.history

    counts = (Event.objects.count(), Talk.objects.count(), Registration.objects.count())
    call_command("demo", "--force", stdout=io.StringIO())
    assert (Event.objects.count(), Talk.objects.count(), Registration.objects.count()) == counts

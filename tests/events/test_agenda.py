"""The conference agenda: talks by day and room, speakers (members or guests), print,
slides."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from goingsolo.events import services
from goingsolo.events.models import Speaker, Talk
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(make_event):
    start = (timezone.now() + timedelta(days=30)).replace(hour=7, minute=0, second=0, microsecond=0)
    return make_event(
        kind="conference",
        title_en="Going Solo Lausanne",
        starts_at=start,
        ends_at=start + timedelta(days=1, hours=10),
        time_zone="Europe/Zurich",
    )


def talk(conference, organiser, title, hours, **fields):
    return services.talk_save(
        event=conference,
        by=organiser,
        title=title,
        language=fields.pop("language", "en"),
        starts_at=conference.starts_at + timedelta(hours=hours),
        ends_at=conference.starts_at + timedelta(hours=hours, minutes=45),
        **fields,
    )


def test_the_agenda_lists_talks_by_day_with_rooms_speakers_and_print_styles(
    client, group, organiser, conference
):
    member = member_of(group, display_name="Nathalie Girard", bio="Traductrice à Montréal.")
    nathalie = services.speaker_save(event=conference, by=organiser, name="", user=member)
    guest = services.speaker_save(
        event=conference, by=organiser, name="Anna Guest", bio="Coach for freelancers."
    )
    talk(conference, organiser, "Getting known", 1, room="Main hall", speakers=[guest])
    talk(
        conference,
        organiser,
        "Fixer ses prix",
        2,
        room="Salle B",
        speakers=[nathalie],
        language="fr",
    )
    talk(conference, organiser, "Day two: balance", 25, speakers=[guest, nathalie])
    client.force_login(member_of(group))
    response = client.get(reverse("events:agenda", args=[group.slug, conference.pk]))
    page = response.text
    assert page.index("Getting known") < page.index("Fixer ses prix") < page.index("Day two")
    assert page.count('class="agenda-day"') == 2
    assert "Main hall" in page and "Salle B" in page
    assert "Nathalie Girard" in page and "Anna Guest" in page
    assert "goingsolo/events.css" in page and "data-print" in page
    assert nathalie.name == "Nathalie Girard" and nathalie.bio == "Traductrice à Montréal."


def test_a_speaker_page_shows_the_bio_and_the_talks(client, group, organiser, conference):
    guest = services.speaker_save(
        event=conference, by=organiser, name="Anna Guest", bio="Coach for freelancers."
    )
    talk(conference, organiser, "Breaking the isolation", 3, speakers=[guest])
    client.force_login(member_of(group))
    page = client.get(reverse("events:speaker", args=[group.slug, conference.pk, guest.pk])).text
    assert "Coach for freelancers." in page and "Breaking the isolation" in page


def test_a_member_speaker_must_be_in_the_group(group, organiser, conference):
    with pytest.raises(ValidationError):
        services.speaker_save(event=conference, by=organiser, name="", user=UserFactory())
    assert not Speaker.objects.exists()


def test_a_talk_must_happen_during_the_event(group, organiser, conference):
    with pytest.raises(ValidationError) as error:
        talk(conference, organiser, "Too late", 40)
    assert "starts_at" in error.value.message_dict
    assert not Talk.objects.exists()


def test_organisers_add_talks_and_speakers_on_the_web(client, group, organiser, conference):
    client.force_login(organiser)
    client.post(
        reverse("events:speaker_create", args=[group.slug, conference.pk]),
        {"name": "Anna Guest", "bio": "Coach."},
    )
    speaker = Speaker.objects.get()
    local = conference.starts_at.astimezone(conference.zone)
    response = client.post(
        reverse("events:talk_create", args=[group.slug, conference.pk]),
        {
            "title": "Getting known",
            "language": "en",
            "speakers": [speaker.pk],
            "starts_at": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "room": "Main hall",
            "recording_url": "https://youtu.be/dQw4w9WgXcQ",
        },
    )
    assert response.status_code == 302
    created = Talk.objects.get()
    assert created.starts_at == conference.starts_at + timedelta(hours=1)
    assert created.recording_embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert list(created.speakers.all()) == [speaker]


def test_slides_files_are_served_to_those_who_may_see_the_event_only(
    client, group, organiser, conference
):
    item = talk(
        conference,
        organiser,
        "Getting known",
        1,
        slides_file=SimpleUploadedFile("getting-known.pdf", b"%PDF-1.4 slides"),
    )
    with pytest.raises(ValueError):
        item.slides_file.url  # kept out of the public media folder  # noqa: B018
    url = reverse("events:talk_slides", args=[group.slug, conference.pk, item.pk])
    assert client.get(url).status_code in (302, 404)  # the group is closed
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(member_of(group))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    assert "getting-known.pdf" in response["Content-Disposition"]


def test_slides_must_be_a_presentation(client, group, organiser, conference):
    client.force_login(organiser)
    local = conference.starts_at.astimezone(conference.zone)
    response = client.post(
        reverse("events:talk_create", args=[group.slug, conference.pk]),
        {
            "title": "Getting known",
            "language": "en",
            "starts_at": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "slides_file": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert "Slides are a PDF, OpenDocument or PowerPoint presentation." in response.text
    assert "Getting known" in response.text  # the form comes back filled
    assert not Talk.objects.exists()


def test_slides_are_judged_by_their_content_not_their_name(client, group, organiser, conference):
    page = b"<html><script>alert(document.cookie)</script></html>"
    with pytest.raises(ValidationError) as error:
        talk(conference, organiser, "Lying", 1, slides_file=SimpleUploadedFile("deck.pdf", page))
    assert error.value.message_dict["slides_file"] == [
        "Slides are a PDF, OpenDocument or PowerPoint presentation."
    ]
    assert not Talk.objects.exists()
    item = talk(
        conference,
        organiser,
        "Renamed",
        1,
        slides_file=SimpleUploadedFile("deck.key", b"%PDF-1.4 slides"),
    )
    assert item.slides_file.name.endswith(".pdf")

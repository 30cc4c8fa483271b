import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from goingsolo.accounts.models import User
from goingsolo.groups.models import Invitation
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def image_bytes(size=(600, 400), fmt="PNG", color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def profile_data(**overrides):
    data = {
        "display_name": "Marie Dupont",
        "bio": "Traductrice indépendante.",
        "city": "Lausanne",
        "country": "CH",
        "time_zone": "Europe/Zurich",
        "spoken_languages": ["fr", "en"],
        "language": "fr",
        "website": "https://marie.example.org",
        "skills": "translation, copywriting",
        "open_to_work": "on",
    }
    data.update(overrides)
    return data


def test_member_edits_profile_and_avatar_is_resized(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {**profile_data(), "avatar_upload": upload("me.png", image_bytes((900, 500)))},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Marie Dupont"
    assert user.spoken_languages == ["fr", "en"]
    assert user.skill_list == ["translation", "copywriting"]
    assert user.open_to_work
    with Image.open(user.avatar.path) as avatar:
        assert avatar.size == (256, 256)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_file_that_is_not_an_image_is_refused_and_nothing_changes(client, language):
    user = UserFactory(display_name="Before", language=language)
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            **profile_data(language=language),
            "avatar_upload": upload("cv.png", b"%PDF-1.4 not an image"),
        },
    )
    assert response.status_code == 200
    expected = {
        "en": "This file is not an image we can read.",
        "fr": "Ce fichier n’est pas une image lisible.",
    }[language]
    assert expected in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Before"
    assert not user.avatar


def test_a_20_mb_avatar_is_refused_with_the_limit_stated(client):
    user = UserFactory(display_name="Before")
    client.force_login(user)
    big = image_bytes((100, 100)) + b"\0" * (20 * 1024 * 1024)
    response = client.post(
        reverse("accounts:profile_edit"),
        {**profile_data(), "avatar_upload": upload("big.png", big)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "the limit is 5" in page or "la limite est de 5" in page
    user.refresh_from_db()
    assert user.display_name == "Before" and not user.avatar


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“Mars/Olympus” is not a time zone we know."),
        ("fr", "«\u00a0Mars/Olympus\u00a0» n’est pas un fuseau horaire connu."),
    ],
)
def test_unknown_time_zone_is_refused_and_nothing_changes(client, language, message):
    user = UserFactory(display_name="Before", language=language)
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        profile_data(time_zone="Mars/Olympus", language=language, display_name="After"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    # What the member typed is still there, to correct.
    assert 'value="Mars/Olympus"' in page and 'value="After"' in page
    user.refresh_from_db()
    assert (user.time_zone, user.display_name) == ("Europe/Zurich", "Before")


def test_profile_form_groups_its_checkboxes_in_fieldsets_with_legends(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    for legend in ("Languages spoken", "Languages I read"):
        assert f"<legend>{legend}</legend>" in page
    # No label element stands for a whole group of checkboxes.
    assert '<label for="id_spoken_languages">' not in page
    assert '<label class="choice" for="id_spoken_languages_0">' in page
    for heading in ("About you", "Work and location", "Languages", "Local time"):
        assert f">{heading}</h2>" in page


def test_the_time_zone_is_picked_from_a_list_of_current_zones(client):
    client.force_login(UserFactory(time_zone="Europe/Zurich"))
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert 'list="time-zone-list"' in page
    assert (
        '<option value="America/Los_Angeles">Los Angeles, United States of America (UTC-0' in page
    )
    assert '<option value="Europe/Zurich">Zurich, Switzerland (UTC+0' in page
    for alias in ("US/Pacific", "Asia/Calcutta", "Europe/Kiev", "Etc/GMT+5"):
        assert f'value="{alias}"' not in page
    # The member chose a zone: nothing is guessed.
    assert "data-guess-time-zone" not in page


def test_a_member_still_on_utc_gets_the_browsers_zone_offered(client):
    client.force_login(UserFactory(time_zone="UTC"))
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert 'data-guess-time-zone="unset"' in page
    assert "goingsolo/accounts.js" in page
    assert "Guessed from your browser; save to keep it." in page  # shown by the script


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),  # what Chromium reports in India
        ("US/Pacific", "America/Los_Angeles"),
        ("europe/zurich", "Europe/Zurich"),
        ("America/New York", "America/New_York"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_a_guessed_or_typed_zone_is_stored_as_the_zone_it_stands_for(client, sent, stored):
    user = UserFactory(time_zone="UTC")
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), profile_data(time_zone=sent))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == stored


def test_an_old_alias_shows_as_its_zone_and_is_saved_as_it(client):
    group = GroupFactory()
    user = member_of(group, time_zone="US/Pacific")
    client.force_login(user)
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert 'value="America/Los_Angeles"' in page and "US/Pacific" not in page
    profile = client.get(reverse("groups:member_profile", args=[user.pk])).content.decode()
    assert "(America/Los_Angeles)" in profile
    client.post(reverse("accounts:profile_edit"), profile_data(time_zone="America/Los_Angeles"))
    user.refresh_from_db()
    assert user.time_zone == "America/Los_Angeles"


def test_a_stored_zone_the_list_does_not_offer_can_be_kept(client):
    user = UserFactory(time_zone="Etc/GMT+5")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"), profile_data(time_zone="Etc/GMT+5", bio="New bio")
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.time_zone, user.bio) == ("Etc/GMT+5", "New bio")
    # Another member may not pick it: it is not in the list.
    other = UserFactory()
    client.force_login(other)
    response = client.post(reverse("accounts:profile_edit"), profile_data(time_zone="Etc/GMT+5"))
    assert response.status_code == 200


def test_times_are_shown_in_the_viewers_time_zone(client):
    group = GroupFactory()
    tokyo_admin = member_of(group, role="admin", time_zone="Asia/Tokyo", language="en")
    expires = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=3)
    Invitation.objects.create(group=group, email="x@example.org", expires_at=expires)
    client.force_login(tokyo_admin)
    page = client.get(reverse("groups:invitations", args=[group.slug])).content.decode()
    assert "21:00" in page  # 12:00 UTC is 21:00 in Tokyo


def test_language_switch_is_remembered_on_the_account(client):
    user = UserFactory(language="en")
    client.force_login(user)
    response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).language == "fr"
    page = client.get(reverse("home")).content.decode()
    assert "Mes groupes" in page


def test_visitors_get_their_browsers_language(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr-CH,fr;q=0.9").content.decode()
    assert "Un lieu pour les indépendant·es" in page
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "A home for independent workers" in page


def test_group_description_follows_the_viewers_language(client):
    group = GroupFactory(
        visibility="public",
        description_en="For freelancers.",
        description_fr="Pour les indépendants.",
    )
    with translation.override("fr"):
        assert group.description == "Pour les indépendants."
    page = client.get(
        reverse("groups:detail", args=[group.slug]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Pour les indépendants." in page and "For freelancers." not in page
    only_english = GroupFactory(
        visibility="public", description_en="English only.", description_fr=""
    )
    with translation.override("fr"):
        assert only_english.description == "English only."


def test_profile_is_visible_only_through_a_shared_group(client):
    group = GroupFactory(visibility="closed")
    member = member_of(group, display_name="Léa")
    client.force_login(UserFactory())
    assert client.get(reverse("groups:member_profile", args=[member.pk])).status_code == 404
    client.force_login(member_of(group))
    page = client.get(reverse("groups:member_profile", args=[member.pk]))
    assert page.status_code == 200 and "Léa" in page.content.decode()


@pytest.mark.parametrize(
    "payload", ["Marie\r\nBcc: all@example.org", "Marie\u202e\u200b", "Marie\x00", "Marie\n"]
)
def test_a_display_name_with_line_breaks_or_invisible_characters_is_saved_on_one_line(
    client, payload
):
    user = UserFactory(display_name="Before")
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), profile_data(display_name=payload))
    assert response.status_code == 302
    user.refresh_from_db()
    assert "\n" not in user.display_name and "\r" not in user.display_name
    assert user.display_name in ("Marie Bcc: all@example.org", "Marie")

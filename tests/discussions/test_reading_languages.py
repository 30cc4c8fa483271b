import pytest
from django.urls import reverse

from goingsolo.discussions import services
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


def test_home_feed_shows_the_languages_a_member_reads_until_they_pick_another(
    client, django_capture_on_commit_callbacks
):
    group = GroupFactory()
    author = member_of(group)
    reader = member_of(group, read_languages=["fr"], language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_start(
            group=group,
            author=author,
            title="Vos matinées",
            body="Comment organisez-vous vos matinées ?",
            language="fr",
        )
        services.thread_start(
            group=group,
            author=author,
            title="Late payers",
            body="What do you do when a client pays late?",
            language="en",
        )
    client.force_login(reader)
    page = client.get(reverse("home")).content.decode()
    assert "Vos matinées" in page and "Late payers" not in page
    assert "languages you read" in page
    page = client.get(reverse("home") + "?activity_language=").content.decode()
    assert "Vos matinées" in page and "Late payers" in page


def test_reading_languages_are_chosen_in_the_profile(client):
    group = GroupFactory()
    member = member_of(group, language="en")
    client.force_login(member)
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert 'name="read_languages"' in page

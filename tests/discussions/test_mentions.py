"""@mentions: the autocomplete offers the group's members; a mention notifies them."""

import pytest
from django.urls import reverse

from goingsolo.accounts.models import Notification
from goingsolo.discussions.models import Mention
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


def candidates(client, community, query):
    response = client.get(
        reverse("discussions:mentions", args=[community.group.slug]), {"q": query}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_autocomplete_offers_members_by_handle_or_name(client, community):
    UserFactory(handle="mariette", display_name="Mariette Outsider")
    client.force_login(community.tom)
    assert candidates(client, community, "mar") == [{"handle": "marie", "name": "Marie Curie"}]
    assert candidates(client, community, "@MAR") == [{"handle": "marie", "name": "Marie Curie"}]
    assert candidates(client, community, "curie") == [{"handle": "marie", "name": "Marie Curie"}]
    # Not yourself.
    assert candidates(client, community, "tom") == []


def test_autocomplete_offers_at_most_eight(client, community):
    for number in range(12):
        member_of(community.group, handle=f"sam{number:02d}", display_name=f"Sam {number}")
    client.force_login(community.tom)
    found = candidates(client, community, "sam")
    assert len(found) == 8
    assert found[0] == {"handle": "sam00", "name": "Sam 0"}


def test_a_mention_of_a_member_links_and_notifies_them(
    client, community, django_capture_on_commit_callbacks
):
    thread = community.thread(author=community.tom)
    client.force_login(community.marie)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("discussions:reply", args=[community.group.slug, thread.pk]),
            {"body": "What do you think, @MO?"},
        )
    reply = thread.posts.get(position=2)
    assert Mention.objects.filter(post=reply, user=community.moderator).exists()
    assert f'<a class="mention" href="{community.moderator.get_absolute_url()}"' in reply.body_html
    notification = Notification.objects.get(recipient=community.moderator)
    assert notification.kind == "mention"
    # The thread's author hears about the reply too.
    assert Notification.objects.get(recipient=community.tom).kind == "reply"


def test_the_textarea_offers_the_autocomplete_to_the_script(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    html = client.get(thread.get_absolute_url()).content.decode()
    url = reverse("discussions:mentions", args=[community.group.slug])
    assert f'data-mentions-url="{url}"' in html
    assert "goingsolo/discussions.js" in html

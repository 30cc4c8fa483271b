"""@mentions: the autocomplete offers the group's members; a mention notifies them."""

import pytest
from django.urls import reverse

from goingsolo.accounts.models import Notification
from goingsolo.discussions.models import Mention
from goingsolo.groups.models import Role
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.reply_tokens import reply_address
from tests.factories import UserFactory, member_of
from tests.mail.inbound_support import plain_message

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


# --- Who a mention names (goingsolo/discussions/mentions.py) -----------------------------------


@pytest.fixture
def oliver(community):
    return member_of(
        community.group, Role.ADMIN, display_name="Oliver Hartley", handle="oliver.hartley"
    )


def reply(client, community, thread, body, author=None, language="en"):
    client.force_login(author or community.marie)
    return client.post(
        reverse("discussions:reply", args=[community.group.slug, thread.pk]),
        {"body": body},
        follow=True,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def mentioned(thread):
    post = thread.posts.order_by("-position").first()
    return {mention.user.handle for mention in Mention.objects.filter(post=post)}


@pytest.mark.parametrize(
    "written",
    [
        "@oliver.hartley",  # the handle
        "@Oliver.Hartley",  # in any case
        "@oliver",  # the start of one member's handle: the example
        "@olive",
        "@Hartley",  # the start of a word of the display name
        "@hart",
        "@Oliver Hartley",  # the display name written out
    ],
)
def test_a_mention_names_the_one_member_it_matches(
    client, community, oliver, written, django_capture_on_commit_callbacks
):
    thread = community.thread(author=community.tom)
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(client, community, thread, f"Thanks {written}, see you Tuesday.")
    assert mentioned(thread) == {"oliver.hartley"}
    post = thread.posts.get(position=2)
    url = oliver.get_absolute_url()
    assert f'<a class="mention" href="{url}" rel="nofollow ugc noopener">{written}</a>' in (
        post.body_html
    )
    assert Notification.objects.get(recipient=oliver).kind == "mention"
    assert "nobody was notified" not in response.content.decode()


def test_the_handle_wins_over_the_start_of_a_longer_one(client, community, oliver):
    oli = member_of(community.group, display_name="Oli Short", handle="oli")
    thread = community.thread(author=community.tom)
    reply(client, community, thread, "Ping @oli")
    assert mentioned(thread) == {oli.handle}


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        (
            "en",
            "@oli could be Oliver Hartley (@oliver.hartley) or Olivia Owner (@olivia); nobody "
            "was notified. Write the handle of the one you mean.",
        ),
        (
            "fr",
            "@oli peut désigner Oliver Hartley (@oliver.hartley) ou Olivia Owner (@olivia)"
            "\u00a0; personne n’a été notifié. Écrivez l’identifiant de la personne voulue.",
        ),
    ],
)
def test_an_ambiguous_mention_notifies_nobody_and_says_who_matched(
    client, community, oliver, language, warning, django_capture_on_commit_callbacks
):
    thread = community.thread(author=community.tom)
    community.marie.language = language
    community.marie.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(client, community, thread, "Who knows, @oli?", language=language)
    assert mentioned(thread) == set()
    assert not Notification.objects.filter(kind="mention").exists()
    assert warning in response.content.decode()
    assert "@oli" in thread.posts.get(position=2).body_html  # the text stays as written


def test_two_members_with_the_same_name_are_told_apart_by_their_handles(client, community):
    member_of(community.group, display_name="Sam Lee", handle="sam.lee")
    member_of(community.group, display_name="Sam Lee", handle="samlee.design")
    thread = community.thread(author=community.tom)
    response = reply(client, community, thread, "Hello @Sam Lee")
    assert mentioned(thread) == set()
    assert "(@sam.lee) or Sam Lee (@samlee.design)" in response.content.decode()
    reply(client, community, thread, "Hello @samlee.design")
    assert mentioned(thread) == {"samlee.design"}


def test_names_match_without_regard_to_accents(client, community):
    zoe = member_of(community.group, display_name="Zoé Ångström", handle="zoe42")
    thread = community.thread(author=community.tom)
    reply(client, community, thread, "Merci @angstrom et @Zoé")
    post = thread.posts.get(position=2)
    assert mentioned(thread) == {zoe.handle}
    assert post.body_html.count('class="mention"') == 2


def test_a_prefix_does_not_name_the_author_nor_people_outside_the_group(client, community):
    UserFactory(handle="marianne", display_name="Marianne Outsider")
    thread = community.thread(author=community.tom)
    # Marie writes "@mar": she is left out, Marianne is not a member: nobody matches.
    response = reply(client, community, thread, "Note to self, @mar")
    assert mentioned(thread) == set()
    assert "@mar is not a member of this group; nobody was notified." in (response.content.decode())


def test_a_mention_by_email_follows_the_same_rule(
    community, oliver, django_capture_on_commit_callbacks
):
    thread = community.thread(author=community.tom)
    message = plain_message(
        sender=community.marie.email,
        to=reply_address(thread, community.marie),
        subject=f"Re: {thread.title}",
        body="Bonne idée, @oliver, tu t’en charges ?",
    )
    with django_capture_on_commit_callbacks(execute=True):
        inbound_store(
            raw=message.as_bytes(), mail_from=community.marie.email, recipients=[message["To"]]
        )
    assert thread.posts.filter(position=2).exists()
    assert mentioned(thread) == {"oliver.hartley"}
    assert Notification.objects.get(recipient=oliver).kind == "mention"


def test_the_autocomplete_offers_what_the_resolver_resolves(client, community, oliver):
    client.force_login(community.tom)
    # The handle first, then the starts of handles, then of words of the names.
    assert candidates(client, community, "oli") == [
        {"handle": "oliver.hartley", "name": "Oliver Hartley"},
        {"handle": "olivia", "name": "Olivia Owner"},
    ]
    assert candidates(client, community, "hart") == [
        {"handle": "oliver.hartley", "name": "Oliver Hartley"}
    ]
    assert candidates(client, community, "Ång") == []
    member_of(community.group, display_name="Ève Ångström", handle="eve")
    assert candidates(client, community, "ang") == [{"handle": "eve", "name": "Ève Ångström"}]
    # "ie" is inside "Marie Curie" but starts no word: not offered, and not resolved.
    assert candidates(client, community, "ie") == []

"""Searching discussions from the search page, end to end: posts written through the
services, indexed by their job once committed, found by what the reader may see.

Run on SQLite and on PostgreSQL (DATABASE_URL): both engines must agree.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goingsolo.discussions import selectors, services
from goingsolo.groups.models import Role
from tests.factories import member_of

from .conftest import Community

pytestmark = pytest.mark.django_db

SEARCH = reverse("groups:search")


class World:
    """Lena reads: a public group she is not in, a closed group she belongs to, and a
    secret group she does not belong to, each with posts in French and English."""

    def __init__(self):
        self.public = Community(visibility="public", prefix="p-")
        self.closed = Community(visibility="closed", prefix="c-")
        self.secret = Community(visibility="secret", prefix="s-")
        self.lena = member_of(self.closed.group, handle="lena", display_name="Lena Keller")
        self.posts = {}

    def start(self, name, community, title, body, language, author=None, **kwargs):
        thread = community.thread(
            title=title, body=body, language=language, author=author, **kwargs
        )
        self.posts[name] = thread.posts.get(position=1)
        return thread

    def reply(self, name, community, thread, body, language, author=None):
        self.posts[name] = community.reply(thread, body=body, language=language, author=author)
        return self.posts[name]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    world = World()
    with django_capture_on_commit_callbacks(execute=True):
        # Public group.
        logos = world.start(
            "price",
            world.public,
            "Logo design",
            "What price would you ask for a logo?",
            "en",
        )
        world.reply("cafe", world.public, logos, "On en parle au café du coin jeudi ?", "fr")
        # Closed group, Lena's.
        rates = world.start(
            "tarif",
            world.closed,
            "Quel tarif journalier ?",
            "Je cherche mon tarif journalier de traductrice. Votre tarif a-t-il changé ?",
            "fr",
        )
        world.reply(
            "tarif_reply",
            world.closed,
            rates,
            "Mon tarif n'a pas bougé depuis deux ans.",
            "fr",
            author=world.closed.tom,
        )
        world.reply(
            "english_reply",
            world.closed,
            rates,
            "Our pricing went up this year, about ten percent.",
            "en",
            author=world.closed.tom,
        )
        world.start(
            "old",
            world.closed,
            "Vieux fil",
            "Un ancien tarif de 2020, pour mémoire.",
            "fr",
            created_at=datetime(2020, 3, 10, 12, 0, tzinfo=UTC),
        )
        # Secret group: Lena is not a member.
        hidden = world.start(
            "secret",
            world.secret,
            "Tarif secret",
            "Notre tarif secret, réservé aux membres. The price is secret.",
            "fr",
        )
        world.reply("secret_cafe", world.secret, hidden, "Un café secret ?", "fr")
    return world


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


def names_of(world, response):
    """The names of the posts on the results page, best first."""
    by_url = {
        selectors.post_anchor_url(post.thread.get_absolute_url(), post.position): name
        for name, post in world.posts.items()
    }
    return [by_url.get(result.url, result.url) for result in response.context["results"]]


def found(client, world, **params):
    return names_of(world, search(client, **params))


@pytest.fixture
def lena(client, world):
    client.force_login(world.lena)
    return client


def test_french_words_find_their_other_forms(lena, world):
    assert set(found(lena, world, q="tarifs")) == {"tarif", "tarif_reply", "old"}


def test_english_words_find_their_other_forms(lena, world):
    assert set(found(lena, world, q="pricing")) == {"price", "english_reply"}
    assert set(found(lena, world, q="prices")) == {"price", "english_reply"}


def test_accents_are_folded(lena, world):
    assert found(lena, world, q="cafe") == ["cafe"]
    assert found(lena, world, q="CAFÉ") == ["cafe"]


def test_results_are_ranked_with_marked_snippets(lena, world):
    response = search(lena, q="tarif journalier")
    # The thread whose title and text say it twice comes first.
    assert names_of(world, response)[0] == "tarif"
    html = response.content.decode()
    assert "<mark>tarif</mark>" in html
    assert "<mark>journalier</mark>" in html
    assert "Quel tarif journalier ?" in html  # the thread's title
    assert world.closed.group.name in html
    first = response.context["results"][0]
    assert first.author_name == "Marie Curie"
    assert first.language == "fr"


def test_the_total_counts_every_match(lena, world):
    response = search(lena, q="tarif")
    assert response.context["total"] == 3
    assert "3 results" in response.content.decode()


def test_filter_by_group(lena, world):
    closed, public = world.closed.group.pk, world.public.group.pk
    assert set(found(lena, world, q="tarif", group=closed)) == {"tarif", "tarif_reply", "old"}
    assert found(lena, world, q="tarif", group=public) == []
    assert found(lena, world, q="cafe", group=public) == ["cafe"]


def test_filter_by_author_handle(lena, world):
    assert found(lena, world, q="tarif", author="c-tom") == ["tarif_reply"]
    assert found(lena, world, q="tarif", author="@C-Tom") == ["tarif_reply"]
    assert found(lena, world, q="tarif", author="nobody") == []


def test_filter_by_language(lena, world):
    assert found(lena, world, q="cafe", language="fr") == ["cafe"]
    assert found(lena, world, q="cafe", language="en") == []
    assert found(lena, world, q="pricing", language="en") != []


def test_filter_by_date(lena, world):
    assert set(found(lena, world, q="tarif", since="2021-01-01")) == {"tarif", "tarif_reply"}
    assert found(lena, world, q="tarif", until="2020-12-31") == ["old"]
    assert found(lena, world, q="tarif", since="2020-03-10", until="2020-03-10") == ["old"]


def test_a_deleted_post_disappears(lena, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(post=world.posts["tarif_reply"], by=world.closed.tom)
    response = search(lena, q="tarif")
    assert set(names_of(world, response)) == {"tarif", "old"}
    assert response.context["total"] == 2


def test_a_deleted_thread_takes_its_replies_with_it_until_restored(
    lena, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(post=world.posts["price"], by=world.public.marie)
    assert found(lena, world, q="cafe") == []
    assert search(lena, q="cafe").context["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.post_restore(post=world.posts["price"], by=world.public.moderator)
    assert found(lena, world, q="cafe") == ["cafe"]


def test_an_edited_post_is_found_by_its_new_words(lena, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(
            post=world.posts["english_reply"],
            by=world.closed.tom,
            body="We moved to a monthly retainer instead.",
        )
    assert found(lena, world, q="retainer") == ["english_reply"]
    assert found(lena, world, q="pricing") == ["price"]


def test_a_secret_groups_posts_never_come_back(lena, world):
    secret = world.secret.group
    for query in ("secret", "tarif", "cafe", "price"):
        response = search(lena, q=query)
        assert not {"secret", "secret_cafe"} & set(names_of(world, response)), query
        assert secret.name not in response.content.decode()
    # Naming the group in the address changes nothing.
    response = search(lena, q="secret", group=secret.pk)
    assert response.context["results"] == []
    assert secret.name not in response.content.decode()
    assert "Tarif secret" not in response.content.decode()


def test_members_of_the_secret_group_find_its_posts(client, world):
    client.force_login(world.secret.marie)
    assert set(found(client, world, q="secret")) == {"secret", "secret_cafe"}


def test_anonymous_visitors_only_find_public_groups_posts(client, world):
    assert found(client, world, q="tarif") == []
    assert set(found(client, world, q="price")) == {"price"}
    assert found(client, world, q="cafe") == ["cafe"]
    assert found(client, world, q="tarif", group=world.closed.group.pk) == []
    html = search(client, q="tarif").content.decode()
    assert world.closed.group.name not in html


def test_a_page_past_the_end_or_absurd_is_empty_not_an_error(lena, world):
    assert found(lena, world, q="tarif", page="2") == []
    assert found(lena, world, q="tarif", page="99999999999999999999999") == []
    assert len(found(lena, world, q="tarif", page="²")) == 3
    assert len(found(lena, world, q="tarif", page="x")) == 3


def test_an_empty_or_odd_query_shows_the_form(lena, world):
    assert search(lena).context["results"] == []
    assert search(lena, q="   ").context["results"] == []
    assert found(lena, world, q='"*" -tarif') == []
    assert found(lena, world, q="tarif & (journalier | ^)") != []


def test_search_page_query_count_does_not_grow_with_hits(
    client, django_capture_on_commit_callbacks
):
    community = Community(prefix="q-")
    client.force_login(community.tom)
    authors = [community.marie, community.moderator, community.owner, community.tom]
    thread = None

    def add(number):
        nonlocal thread
        author = authors[number % len(authors)]
        with django_capture_on_commit_callbacks(execute=True):
            if number % 2 == 0:
                thread = community.thread(
                    author=author, title=f"Zeugma {number}", body="A zeugma, really."
                )
            else:
                community.reply(thread, author=author, body=f"Another zeugma, {number}.")

    def count(**params):
        with CaptureQueriesContext(connection) as context:
            response = search(client, q="zeugma", **params)
        return len(context), len(response.context["results"])

    filters = {"author": "q-marie", "group": community.group.pk, "language": "en"}
    add(0)
    assert count() == (7, 1)
    assert count(**filters)[0] == 9
    for number in range(1, 3):
        add(number)
    assert count() == (7, 3)
    assert count(**filters)[0] == 9


def test_a_member_who_left_no_longer_finds_the_groups_posts(lena, world):
    world.closed.group.memberships.filter(user=world.lena).delete()
    assert found(lena, world, q="tarif") == []


def test_moderators_do_not_find_deleted_posts_either(
    client, world, django_capture_on_commit_callbacks
):
    moderator = member_of(world.closed.group, Role.MODERATOR, handle="c-mod2")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(post=world.posts["tarif_reply"], by=moderator)
    client.force_login(moderator)
    assert "tarif_reply" not in found(client, world, q="tarif")

"""The demo's discussions: loaded once for the module (the demo takes seconds), each test
in a transaction of its own on top of it."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from goingsolo.accounts.models import User
from goingsolo.core.search import search
from goingsolo.demo.content.discussions import THREADS
from goingsolo.demo.content.groups import GOING_SOLO
from goingsolo.demo.content.people import MARCO
from goingsolo.discussions.models import (
    Attachment,
    Mention,
    Poll,
    Post,
    Reaction,
    ReadState,
    Thread,
)

pytestmark = pytest.mark.django_db


def run_demo(*args):
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The output of `goingsolo demo` and the folder of its private files; rolled back at
    the end of the module."""
    files = tmp_path_factory.mktemp("demo-private")
    with django_db_blocker.unblock(), override_settings(GOINGSOLO_PRIVATE_FILES_ROOT=files):
        with transaction.atomic():
            output = run_demo()
            yield output, files
            transaction.set_rollback(True)


def going_solo_threads():
    return Thread.objects.filter(group__slug=GOING_SOLO)


def test_demo_group_has_threads_in_both_languages_with_replies(demo):
    output, _files = demo
    assert f"Threads 5/{len(THREADS)}…" in output
    threads = going_solo_threads()
    assert threads.count() == len(THREADS) >= 12
    assert set(threads.values_list("language", flat=True)) == {"en", "fr"}
    for thread in threads:
        replies = thread.posts.filter(position__gt=1)
        assert 2 <= replies.count() <= 12, thread.title
        assert thread.post_count == replies.count() + 1
        assert thread.last_activity_at == replies.order_by("-position").first().created_at
    # Members answer in the other language too.
    assert Post.objects.filter(thread__language="en", language="fr").exists()
    assert Post.objects.filter(thread__language="fr", language="en").exists()
    # Spread over the past weeks, never in the future.
    dates = sorted(threads.values_list("last_activity_at", flat=True))
    assert (dates[-1] - dates[0]).days >= 21


def test_demo_posts_have_reactions_mentions_and_quotes(demo):
    posts = Post.objects.filter(group__slug=GOING_SOLO)
    assert Reaction.objects.filter(post__in=posts).count() >= 50
    post = Reaction.objects.filter(post__in=posts).first().post
    assert sum(post.reaction_counts.values()) == post.reactions.count()
    assert Mention.objects.filter(post__in=posts).count() >= 3
    mentioned = Mention.objects.select_related("user", "post").first()
    assert f"@{mentioned.user.handle}" in mentioned.post.body
    assert 'class="mention"' in mentioned.post.body_html
    quoting = posts.filter(quoted_post__isnull=False).first()
    assert quoting is not None and quoting.body.startswith(">")


def test_demo_has_a_poll_an_announcement_and_an_image(demo, settings):
    settings.GOINGSOLO_PRIVATE_FILES_ROOT = demo[1]
    poll = Poll.objects.get(thread__group__slug=GOING_SOLO)
    assert poll.question == "Which day suits you for the next meetup?"
    assert not poll.is_closed and poll.voter_count >= 10
    assert sum(option.vote_count for option in poll.options.all()) == poll.voter_count

    pinned = going_solo_threads().get(is_pinned=True)
    assert pinned.is_announcement

    image = Attachment.objects.get(post__group__slug=GOING_SOLO)
    assert image.is_image and image.content_type == "image/png"
    assert image.width and image.thumbnail
    assert image.file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_demo_logins_have_read_some_threads_and_not_others(demo):
    marco = MARCO.email
    total = going_solo_threads().count()
    states = ReadState.objects.filter(user__email=marco, thread__group__slug=GOING_SOLO)
    unread = [state for state in states if state.last_read_position < state.thread.last_position]
    assert unread, "some threads have new replies for Marco"
    assert 0 < states.count() < total, "some threads Marco never opened"


def test_demo_posts_are_found_by_search_at_once(demo):
    group = going_solo_threads().first().group
    results = search("coworking", group_ids=[group.pk])
    assert results.total >= 2
    assert any("Coworking à Lausanne" in hit.title for hit in results)
    assert search("relances", group_ids=[group.pk]).total >= 1  # "relance" in French


def test_demo_pages_show_the_threads(demo, client):
    client.force_login(User.objects.get(email=MARCO.email))
    thread = going_solo_threads().get(title="What do you do when a client pays late?")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "days-to-get-paid" in response.content.decode()
    response = client.get(thread.group.get_absolute_url())
    assert "Qui vient au SoloCamp ?" in response.content.decode()


def test_demo_discussions_twice_add_nothing(demo):
    def counts():
        return (
            Thread.objects.count(),
            Post.objects.count(),
            Reaction.objects.count(),
            Attachment.objects.count(),
            ReadState.objects.count(),
        )

    before = counts()
    run_demo("--force")
    assert counts() == before

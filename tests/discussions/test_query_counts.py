"""Discussion pages run a fixed number of queries, whatever the number of rows (literal
counts at one row and at three)."""

import pytest
from django.urls import reverse

from goingsolo.accounts.models import Notification
from goingsolo.core.uploads import check_upload
from goingsolo.discussions import services
from goingsolo.discussions.models import Post, ReadState
from goingsolo.discussions.notifications import notify_post, notify_reaction
from goingsolo.groups.models import Membership
from tests.support import count_queries, query_counts

from .conftest import Community, pdf_file, png_file

pytestmark = pytest.mark.django_db


def checked(upload):
    return (check_upload(upload), upload)


def test_group_page_with_threads(client, community):
    client.force_login(community.tom)
    counter = iter(range(100))

    def make():
        thread = community.thread(title=f"Thread {next(counter)}", author=community.marie)
        community.reply(thread, author=community.moderator)
        client.get(thread.get_absolute_url())  # some read, some unread

    # The first page, unfiltered, by queries built once (selectors.group_threads_first_page)
    assert query_counts(client, community.group.get_absolute_url(), make) == (11, 11)
    # Any other page (here past the last: the last is shown) or filter, by group_threads:
    # the read states by one more query
    filtered = community.group.get_absolute_url() + "?page=2"
    assert query_counts(client, filtered, make) == (12, 12)
    filtered = community.group.get_absolute_url() + "?threads=following&language=en"
    assert query_counts(client, filtered, make) == (10, 10)


def test_thread_page_with_reactions_attachments_a_poll_and_mentions(client, community):
    thread = community.thread(
        body="Which day, @tom and @mo?",
        poll={"question": "Which day?", "options": ["Tue", "Thu"]},
        attachments=[checked(png_file())],
    )
    services.poll_vote(
        poll=thread.poll, user=community.tom, option_ids=[thread.poll.options.first().pk]
    )
    members = [community.marie, community.moderator, community.owner]
    counter = iter(range(100))

    def make():
        number = next(counter)
        author = members[number % 3]
        post = services.post_reply(
            thread=thread,
            author=author,
            body=f"Reply {number} for @tom and @marie",
            quoted_post=thread.posts.first(),
            attachments=[checked(png_file()), checked(pdf_file())],
        ).post
        for reactor in (community.tom, community.marie, community.owner):
            services.reaction_add(post=post, user=reactor, emoji="👍")
        services.reaction_add(post=post, user=community.tom, emoji="🎉")
        if number % 2:
            services.post_edit(post=post, by=author, body=post.body + " (edited)")
        if number == 3:
            services.post_delete(post=post, by=author)

    client.force_login(community.tom)
    url = thread.get_absolute_url()

    def forget_reading():
        ReadState.objects.update_or_create(
            thread=thread, user=community.tom, defaults={"last_read_position": 1}
        )

    assert query_counts(client, url, make, before=forget_reading) == (16, 16)
    client.force_login(community.moderator)  # moderators see deleted posts and more buttons
    assert count_queries(client, url) == 16
    make()
    assert count_queries(client, url) == 16


def test_home_activity(client):
    viewer_groups = [Community(prefix=f"g{n}-") for n in range(3)]
    client.force_login(viewer_groups[0].tom)
    for community in viewer_groups[1:]:
        Membership.objects.create(group=community.group, user=viewer_groups[0].tom)
    counter = iter(range(100))

    def make():
        number = next(counter)
        community = viewer_groups[number % 3]
        thread = community.thread(title=f"Activity {number}", author=community.marie)
        community.reply(thread, author=community.owner)

    assert query_counts(client, reverse("home"), make) == (9, 9)
    assert query_counts(client, reverse("home") + "?activity_language=en", make) == (9, 9)


def test_notifications_page(client, community):
    thread = community.thread(author=community.tom)
    client.force_login(community.tom)
    counter = iter(range(100))

    emoji = ["👍", "❤️", "😂", "🎉", "🤔", "🙏"]

    def make():
        number = next(counter)
        post = community.reply(thread, author=community.marie, body=f"Hi @tom {number}")
        notify_post(Post.objects.select_related("thread").get(pk=post.pk))
        opening = thread.posts.select_related("thread").first()
        notify_reaction(opening, community.marie, emoji[number % 6])

    assert query_counts(client, reverse("accounts:notifications"), make, large=6) == (6, 6)
    assert Notification.objects.filter(recipient=community.tom).count() >= 6

"""The thread rows are served from memory by what they show (core/fragments.py): whatever
changes a row — a reply, an edit of the title, a flag, a deletion, a rename of the last
author or of the group — shows on the next page, in each language and time zone, with each
reader's own read state. Every page is read once first, so that the row is in memory."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from goingsolo.accounts import services as account_services
from goingsolo.discussions import services
from goingsolo.discussions.models import Thread
from goingsolo.groups import services as group_services
from goingsolo.groups.models import Membership

pytestmark = pytest.mark.django_db


def rows(client, url):
    html = client.get(url).content.decode()
    return re.findall(r'<li class="thread-row.*?</li>', html, re.S)


def row_of(client, url, thread):
    found = [row for row in rows(client, url) if f"/t/{thread.pk}/" in row]
    assert len(found) == 1, rows(client, url)
    return found[0]


@pytest.fixture
def page(client, community):
    client.force_login(community.tom)
    return community.group.get_absolute_url()


def test_a_reply_an_edit_and_the_flags_show_at_once(client, community, page):
    thread = community.thread(title="Pricing a translation")
    assert "0 replies" in row_of(client, page, thread)

    community.reply(thread, author=community.moderator)
    row = row_of(client, page, thread)
    assert "1 reply" in row and "by Mo Derator" in row

    services.post_edit(
        post=thread.posts.get(position=1), by=community.marie, body="Rates?", title="Day rates"
    )
    assert "Day rates" in row_of(client, page, thread)

    thread.refresh_from_db()
    services.thread_set_locked(thread=thread, by=community.moderator, locked=True)
    assert "Closed" in row_of(client, page, thread)
    services.thread_set_pinned(thread=thread, by=community.owner, pinned=True)
    assert "Pinned" in row_of(client, page, thread)
    services.thread_announce(thread=thread, by=community.owner)
    assert "Announcement" in row_of(client, page, thread)


def test_a_deleted_thread_leaves_the_list(client, community, page):
    thread = community.thread(title="Soon gone")
    assert "Soon gone" in row_of(client, page, thread)
    services.post_delete(post=thread.posts.get(position=1), by=community.marie)
    assert all("Soon gone" not in row for row in rows(client, page))


def test_the_last_authors_new_name_shows(client, community, page):
    thread = community.thread()
    community.reply(thread, author=community.marie)
    assert "by Marie Curie" in row_of(client, page, thread)
    account_services.profile_update(user=community.marie, display_name="Marie Sklodowska")
    assert "by Marie Sklodowska" in row_of(client, page, thread)


def test_the_groups_new_name_shows_on_the_home_page(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    assert community.group.name in row_of(client, "/", thread)
    group_services.group_update(group=community.group, by=community.owner, name="Solo Lausanne")
    assert "Solo Lausanne" in row_of(client, "/", thread)


def test_the_relative_time_moves_on(client, community, page):
    thread = community.thread()
    assert "now" in row_of(client, page, thread)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now() - timedelta(hours=3))
    assert "3\xa0hours ago" in row_of(client, page, thread)


def test_each_language_and_time_zone_has_its_row(client, community, page):
    thread = community.thread()
    community.reply(thread, author=community.moderator)
    assert "1 reply" in row_of(client, page, thread)
    community.tom.language = "fr"
    community.tom.save()
    assert "1 réponse" in row_of(client, page, thread)
    before = row_of(client, page, thread)
    community.tom.time_zone = "Pacific/Auckland"
    community.tom.save()
    after = row_of(client, page, thread)
    zone_offset = re.compile(r'datetime="[^"]*([+-]\d\d:\d\d)"')
    assert zone_offset.search(before).group(1) != zone_offset.search(after).group(1)


def test_each_reader_sees_their_own_read_state(client, community, page):
    thread = community.thread()
    community.reply(thread, author=community.moderator)
    assert "unread" in row_of(client, page, thread).split(">")[0]
    client.get(thread.get_absolute_url())  # Tom reads it
    assert "unread" not in row_of(client, page, thread).split(">")[0]
    assert "new-count" not in row_of(client, page, thread)
    # Two more replies: the count and the link to the first unread post follow.
    community.reply(thread, author=community.moderator)
    community.reply(thread, author=community.moderator)
    row = row_of(client, page, thread)
    assert "2 new" in row and f'/t/{thread.pk}/#post-3"' in row
    client.force_login(community.marie)  # Marie started it, has not read the replies
    assert "3 new" in row_of(client, page, thread)


# --- The post's header on the thread page ------------------------------------------------------


def header_of(client, thread, position=1):
    html = client.get(thread.get_absolute_url()).content.decode()
    found = re.search(rf'<article[^>]*id="post-{position}".*?</header>', html, re.S)
    assert found, html
    return found.group(0)


def test_an_edit_a_language_fix_and_a_rename_show_in_the_posts_header(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    header = header_of(client, thread)
    assert "Marie Curie" in header and "edited" not in header
    post = thread.posts.get(position=1)
    services.post_edit(post=post, by=community.marie, body="How do you set your day rates?")
    assert "edited" in header_of(client, thread)
    post.refresh_from_db()
    services.post_set_language(post=post, by=community.marie, language="fr")
    assert ">FR</abbr>" in header_of(client, thread)
    account_services.profile_update(user=community.marie, display_name="Marie Sklodowska")
    assert "Marie Sklodowska" in header_of(client, thread)


def test_the_authors_link_is_each_readers_own(client, public_community):
    thread = public_community.thread()
    # Marie leaves: her profile is in no group Tom reads any more, but she opens her own.
    group_services.membership_leave(membership=Membership.objects.get(user=public_community.marie))
    client.force_login(public_community.marie)
    assert '<a class="author"' in header_of(client, thread)
    client.force_login(public_community.tom)
    assert '<a class="author"' not in header_of(client, thread)
    assert '<span class="author"' in header_of(client, thread)

"""The posts of a thread page are served from memory by what they show (core/fragments.py,
selectors.post_fragment_keys): an edit, a deletion, a reaction, a rename, a closed thread
shows on the next page; each reader keeps their own links, rights, reactions and CSRF
token. Every page is read once first, so that the posts are in memory."""

import re

import pytest
from django.test import Client

from goingsolo.accounts import services as account_services
from goingsolo.discussions import services
from goingsolo.groups import services as group_services
from goingsolo.groups.models import Membership

pytestmark = pytest.mark.django_db


def post_html(client, thread, position):
    html = client.get(thread.get_absolute_url()).content.decode()
    found = re.search(rf'<article[^>]*id="post-{position}".*?</article>', html, re.S)
    assert found, html
    return found.group(0)


def test_an_edit_a_deletion_and_a_restore_show_at_once(client, community):
    thread = community.thread()
    reply = community.reply(thread, body="I charge by the word.")
    client.force_login(community.tom)
    assert "by the word" in post_html(client, thread, 2)

    services.post_edit(post=reply, by=community.tom, body="I charge by the page.")
    assert "by the page" in post_html(client, thread, 2)

    reply.refresh_from_db()
    services.post_delete(post=reply, by=community.tom)
    assert "This post was deleted." in post_html(client, thread, 2)
    # The moderator still reads it, with the notice.
    moderator = Client()
    moderator.force_login(community.moderator)
    seen = post_html(moderator, thread, 2)
    assert "by the page" in seen and "Only moderators see its text" in seen

    reply.refresh_from_db()
    services.post_restore(post=reply, by=community.moderator)
    assert "by the page" in post_html(client, thread, 2)


def test_a_quoted_authors_new_name_shows(client, community):
    thread = community.thread()
    opening = thread.posts.get(position=1)
    services.post_reply(thread=thread, author=community.tom, body="Same here.", quoted_post=opening)
    client.force_login(community.tom)
    assert "Marie Curie</a>" in post_html(client, thread, 2)
    account_services.profile_update(user=community.marie, display_name="Marie Sklodowska")
    assert "Marie Sklodowska</a>" in post_html(client, thread, 2)


def test_mentions_link_only_to_the_profiles_each_reader_may_open(client, public_community):
    community = public_community
    thread = community.thread()
    community.reply(thread, author=community.tom, body="Ask @marie, she knows.")
    # Marie leaves: her profile is in no group Tom reads any more, but she opens her own.
    group_services.membership_leave(membership=Membership.objects.get(user=community.marie))
    client.force_login(community.marie)
    assert '<a class="mention"' in post_html(client, thread, 2)
    client.force_login(community.tom)
    assert '<a class="mention"' not in post_html(client, thread, 2)
    assert '<span class="mention">@marie</span>' in post_html(client, thread, 2)


def test_reactions_show_their_count_names_and_each_readers_own_mark(client, community):
    thread = community.thread()
    opening = thread.posts.get(position=1)
    client.force_login(community.marie)
    assert 'aria-pressed="true"' not in post_html(client, thread, 1)

    services.reaction_add(post=opening, user=community.tom, emoji="👍")
    marie_sees = post_html(client, thread, 1)
    assert 'aria-pressed="false"' in marie_sees and "Tom Jones" in marie_sees
    tom = Client()
    tom.force_login(community.tom)
    assert 'aria-pressed="true"' in post_html(tom, thread, 1)

    account_services.profile_update(user=community.tom, display_name="Tom Jonas")
    assert "Tom Jonas" in post_html(client, thread, 1)
    services.reaction_remove(post=opening, user=community.tom, emoji="👍")
    assert "Tom Jonas" not in post_html(client, thread, 1)


def test_each_reader_has_their_own_actions(client, community):
    thread = community.thread()
    client.force_login(community.marie)
    mine = post_html(client, thread, 1)
    assert ">Edit</a>" in mine and ">Flag</a>" not in mine and ">Quote</a>" in mine
    client.force_login(community.tom)
    theirs = post_html(client, thread, 1)
    assert ">Edit</a>" not in theirs and ">Flag</a>" in theirs

    # Two moderators may both edit a moderator's reply; only the other one may flag it.
    community.reply(thread, author=community.moderator, body="Keep it civil.")
    client.force_login(community.moderator)
    assert ">Flag</a>" not in post_html(client, thread, 2)
    client.force_login(community.owner)
    assert ">Flag</a>" in post_html(client, thread, 2)

    client.force_login(community.tom)
    services.thread_set_locked(thread=thread, by=community.moderator, locked=True)
    assert ">Quote</a>" not in post_html(client, thread, 1)
    moderator = Client()
    moderator.force_login(community.moderator)
    assert ">Quote</a>" in post_html(moderator, thread, 1)


def test_each_reader_posts_with_their_own_csrf_token(community):
    thread = community.thread()
    opening = thread.posts.get(position=1)
    # Marie reads first: the post is kept with her page's forms.
    marie = Client(enforce_csrf_checks=True)
    marie.force_login(community.marie)
    post_html(marie, thread, 1)

    tom = Client(enforce_csrf_checks=True)
    tom.force_login(community.tom)
    services.reaction_add(post=opening, user=community.marie, emoji="👍")
    post_html(marie, thread, 1)
    html = post_html(tom, thread, 1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    react_url = re.search(r'<form method="post" action="([^"]+/react/)"', html).group(1)
    answer = tom.post(react_url, {"csrfmiddlewaretoken": token, "emoji": "👍", "action": "add"})
    assert answer.status_code == 302
    assert opening.reactions.filter(user=community.tom).exists()


def header_html(client, thread):
    html = client.get(thread.get_absolute_url()).content.decode()
    found = re.search(r'<header class="thread-header">.*?</header>', html, re.S)
    assert found, html
    return found.group(0)


def test_the_thread_header_shows_each_change_and_each_readers_own_state(client, community):
    """The header is kept as one fragment (thread_detail.html): pinning, closing, a new
    title, the reader's subscription and their new replies show on the next page, and each
    reader sees their own tools."""
    thread = community.thread()
    client.force_login(community.tom)
    owner = Client()
    owner.force_login(community.owner)
    assert "Pinned" not in header_html(client, thread)
    assert ">Pin</button>" in header_html(owner, thread)

    services.thread_set_pinned(thread=thread, by=community.owner, pinned=True)
    assert "Pinned" in header_html(client, thread)
    assert ">Unpin</button>" in header_html(owner, thread)
    # The member sees no moderation tools, though the owner's header was just kept.
    assert "Unpin" not in header_html(client, thread)

    services.thread_set_locked(thread=thread, by=community.owner, locked=True)
    assert "This thread is closed to new replies." in header_html(client, thread)
    assert "Reopen to replies" in header_html(owner, thread)

    services.thread_subscribe(thread=thread, user=community.tom, state="following")
    assert re.search(r'value="following"[^>]*aria-pressed="true"', header_html(client, thread))
    assert re.search(r'value="following"[^>]*aria-pressed="false"', header_html(owner, thread))

    services.thread_set_locked(thread=thread, by=community.owner, locked=False)
    community.reply(thread, author=community.marie)
    assert "1 new reply since your last visit" in header_html(client, thread)
    # Read now: the next visit has nothing new.
    assert "new reply" not in header_html(client, thread)

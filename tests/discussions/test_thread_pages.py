"""Reading and writing threads through the web pages, without JavaScript and with htmx."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goingsolo.discussions import selectors, services
from goingsolo.discussions.models import Poll, Post, Reaction, ReadState, Thread, ThreadSubscription
from goingsolo.groups.models import Membership
from tests.factories import GroupFactory, UserFactory, member_of

from .conftest import Community

pytestmark = pytest.mark.django_db


def thread_url(thread):
    return reverse("discussions:thread", args=[thread.group.slug, thread.pk])


def test_member_starts_a_thread_and_lands_on_it(
    client, community, django_capture_on_commit_callbacks
):
    client.force_login(community.marie)
    url = reverse("discussions:thread_create", args=[community.group.slug])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"title": "Morning routines", "body": "How do you start your day?"}
        )
    thread = Thread.objects.get(title="Morning routines")
    assert response.status_code == 302
    assert response.url == thread_url(thread)
    page = client.get(response.url)
    assert "How do you start your day?" in page.content.decode()
    assert "Your thread is posted." in page.content.decode()


def test_new_thread_with_a_poll_closing_in_the_readers_time_zone(client, community):
    community.marie.time_zone = "Europe/Paris"
    community.marie.save()
    client.force_login(community.marie)
    client.post(
        reverse("discussions:thread_create", args=[community.group.slug]),
        {
            "title": "Next meetup",
            "body": "Which day suits you?",
            "poll_question": "Which day?",
            "poll_options": "Tuesday\nThursday\n\n",
            "poll_multiple": "on",
            "poll_closes_at": "2099-06-01T18:00",
        },
    )
    poll = Poll.objects.get(thread__title="Next meetup")
    assert [option.label for option in poll.options.all()] == ["Tuesday", "Thursday"]
    assert poll.allows_multiple
    # 18:00 in Paris in June is 16:00 UTC.
    assert poll.closes_at.isoformat() == "2099-06-01T16:00:00+00:00"


def test_group_page_lists_threads_pinned_first_then_by_activity(client, community):
    old = community.thread(title="Old question")
    community.thread(title="Newer question")
    pinned = community.thread(title="House rules")
    Thread.objects.filter(pk=pinned.pk).update(is_pinned=True, last_activity_at=old.created_at)
    community.reply(old)  # the old question moves up
    client.force_login(community.tom)
    html = client.get(community.group.get_absolute_url()).content.decode()
    titles = re.findall(r'class="thread-title"><a [^>]*>([^<]+)</a>', html)
    assert titles == ["House rules", "Old question", "Newer question"]
    assert reverse("discussions:thread_create", args=[community.group.slug]) in html


def test_unread_markers_count_new_posts_per_thread(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    client.get(thread_url(thread))  # Tom reads it
    community.reply(thread, author=community.marie, body="One")
    community.reply(thread, author=community.marie, body="Two")
    html = client.get(community.group.get_absolute_url()).content.decode()
    assert "2 new" in html
    page = client.get(thread_url(thread)).content.decode()
    assert "2 new replies since your last visit" in page
    assert f'href="{thread_url(thread)}#post-2"' in page
    assert ReadState.objects.get(thread=thread, user=community.tom).last_read_position == 3
    assert "2 new" not in client.get(community.group.get_absolute_url()).content.decode()


def test_filters_unanswered_following_and_language(client, community):
    answered = community.thread(title="Answered one", body="Where do you work from?")
    community.reply(answered)
    community.thread(
        title="Question en français", body="Comment fixez-vous vos tarifs quand un client négocie ?"
    )
    followed = community.thread(
        title="Followed one", body="Any coworking space to recommend in Leeds?"
    )
    ThreadSubscription.objects.create(thread=followed, user=community.tom, state="following")
    client.force_login(community.tom)
    base = community.group.get_absolute_url()

    def titles(query):
        html = client.get(base + query).content.decode()
        return set(re.findall(r'class="thread-title"><a [^>]*>([^<]+)</a>', html))

    assert titles("?threads=unanswered") == {"Question en français", "Followed one"}
    assert titles("?threads=following") == {"Followed one"}
    assert titles("?language=fr") == {"Question en français"}
    assert titles("?threads=nonsense") == {"Answered one", "Question en français", "Followed one"}


def test_thread_list_has_pages_of_25(client, community):
    for number in range(27):
        Thread.objects.create(
            group=community.group,
            author=community.marie,
            title=f"T{number}",
            post_count=1,
            last_position=1,
        )
    client.force_login(community.tom)
    html = client.get(community.group.get_absolute_url()).content.decode()
    assert html.count('<li class="thread-row') == 25
    assert "Page 1 of 2" in html
    html = client.get(community.group.get_absolute_url() + "?page=2").content.decode()
    assert html.count('<li class="thread-row') == 2


def test_home_shows_activity_across_my_groups_only(client, community):
    community.thread(title="In my group", body="Hello everyone, welcome to the group.")
    other = GroupFactory(visibility="public")

    services.thread_start(group=other, author=member_of(other), title="Elsewhere", body="Not mine")
    client.force_login(community.tom)
    html = client.get(reverse("home")).content.decode()
    assert "In my group" in html
    assert "Elsewhere" not in html
    assert "Latest in your groups" in html
    html = client.get(reverse("home") + "?activity_language=fr").content.decode()
    assert "In my group" not in html


def test_reply_without_javascript_redirects_to_the_new_post(
    client, community, django_capture_on_commit_callbacks
):
    thread = community.thread()
    client.force_login(community.tom)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussions:reply", args=[community.group.slug, thread.pk]),
            {"body": "By the word, usually."},
        )
    assert response.status_code == 302
    assert response.url == thread_url(thread) + "#post-2"
    assert Post.objects.get(thread=thread, position=2).body == "By the word, usually."


def test_reply_with_htmx_returns_the_post_and_a_fresh_form(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    response = client.post(
        reverse("discussions:reply", args=[community.group.slug, thread.pk]),
        {"body": "Hello @nobody", "page": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="post-2"' in html
    assert 'hx-swap-oob="true"' in html and 'id="reply"' in html
    assert "@nobody is not a member of this group; nobody was notified." in html


def test_htmx_reply_with_an_error_swaps_the_form(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    response = client.post(
        reverse("discussions:reply", args=[community.group.slug, thread.pk]),
        {"body": "   ", "page": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#reply"
    assert response["HX-Reswap"] == "outerHTML"
    assert "Write a message." in response.content.decode()
    assert thread.posts.count() == 1


def test_quote_link_prefills_the_reply(client, community):
    thread = community.thread(body="Line one\nLine two")
    client.force_login(community.tom)
    post = thread.posts.get()
    html = client.get(thread_url(thread) + f"?quote={post.pk}").content.decode()
    assert "&gt; Line one\n&gt; Line two" in html
    assert f'name="quoted_post" value="{post.pk}"' in html
    client.post(
        reverse("discussions:reply", args=[community.group.slug, thread.pk]),
        {"body": "> Line one\n\nAgreed.", "quoted_post": post.pk},
    )
    reply = Post.objects.get(thread=thread, position=2)
    assert reply.quoted_post == post
    assert "In reply to" in client.get(thread_url(thread)).content.decode()


def test_reactions_show_counts_and_who_reacted(client, community):
    thread = community.thread()
    post = thread.posts.get()
    client.force_login(community.tom)
    react = reverse("discussions:post_react", args=[community.group.slug, post.pk])
    client.post(react, {"emoji": "👍"})
    client.force_login(community.moderator)
    response = client.post(react, {"emoji": "👍"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'title="Tom Jones, Mo Derator"' in html
    assert 'aria-pressed="true"' in html
    client.post(react, {"emoji": "👍", "action": "remove"})
    assert Reaction.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.reaction_counts == {"👍": 1}


def test_thread_page_carries_one_reaction_picker_and_a_react_link_per_post(client, community):
    thread = community.thread()
    community.reply(thread, community.tom, "Same here.")
    client.force_login(community.tom)
    html = client.get(thread_url(thread)).content.decode()
    assert html.count('<template id="reaction-picker">') == 1
    assert html.count('class="react-link"') == 2
    for post in thread.posts.all():
        react = reverse("discussions:post_react", args=[community.group.slug, post.pk])
        assert f'href="{react}"' in html


def test_without_javascript_react_opens_a_page_of_reactions(client, community):
    thread = community.thread()
    post = thread.posts.get()
    react = reverse("discussions:post_react", args=[community.group.slug, post.pk])
    client.force_login(community.tom)
    page = client.get(react)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'action="{react}"' in html
    assert html.count('name="emoji"') == len(Reaction.Emoji.values)
    assert post.body[:20] in html
    response = client.post(react, {"emoji": "🎉"})
    assert response.status_code == 302 and response.url.endswith("#post-1")
    assert Reaction.objects.filter(post=post, user=community.tom, emoji="🎉").exists()


def test_page_of_reactions_is_for_members_and_live_posts(client, community):
    thread = community.thread()
    post = thread.posts.get()
    react = reverse("discussions:post_react", args=[community.group.slug, post.pk])
    client.force_login(UserFactory())
    assert client.get(react).status_code == 403
    client.force_login(community.marie)
    client.post(reverse("discussions:post_delete", args=[community.group.slug, post.pk]))
    client.force_login(community.moderator)
    assert client.get(react).status_code == 302


def test_post_action_urls_are_the_routes_urls(community):
    post = community.thread().posts.get()
    post.group = community.group
    for action, url in selectors.post_action_urls(post).items():
        assert url == reverse(f"discussions:post_{action}", args=[community.group.slug, post.pk])


def test_poll_vote_then_results_with_percentages(client, community):
    thread = community.thread(poll={"question": "Which day?", "options": ["Tue", "Thu", "Sat"]})
    poll = thread.poll
    client.force_login(community.tom)
    html = client.get(thread_url(thread)).content.decode()
    assert 'name="options"' in html and "<progress" not in html
    tue = poll.options.get(label="Tue")
    response = client.post(
        reverse("discussions:poll_vote", args=[community.group.slug, thread.pk]),
        {"options": tue.pk},
    )
    assert response.url.endswith("#poll")
    html = client.get(thread_url(thread)).content.decode()
    assert "1 vote (100%)" in html
    assert "your vote" in html
    assert 'name="options"' not in html


def test_closed_poll_says_so_and_shows_results(client, community):
    thread = community.thread(poll={"question": "Which day?", "options": ["Tue", "Thu"]})
    Poll.objects.filter(thread=thread).update(closes_at=timezone.now() - timedelta(hours=1))
    client.force_login(community.tom)
    html = client.get(thread_url(thread)).content.decode()
    assert "This poll is closed." in html
    assert "0 votes (0%)" in html


def test_follow_mute_and_back_to_the_group_setting(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    url = reverse("discussions:subscription", args=[community.group.slug, thread.pk])
    client.post(url, {"state": "following"})
    assert ThreadSubscription.objects.get(thread=thread, user=community.tom).state == "following"
    client.post(url, {"state": "muted"})
    assert ThreadSubscription.objects.get(thread=thread, user=community.tom).state == "muted"
    client.post(url, {"state": "default"})
    assert not ThreadSubscription.objects.filter(thread=thread, user=community.tom).exists()


def test_notification_level_of_the_group(client, community):
    client.force_login(community.tom)
    page = community.group.get_absolute_url()
    chosen = re.compile(r'<option value="(all|mine|none)" selected>')
    assert chosen.findall(client.get(page).content.decode()) == ["mine"]
    response = client.post(
        reverse("discussions:notification_level", args=[community.group.slug]), {"level": "all"}
    )
    assert response.status_code == 302
    assert (
        Membership.objects.get(group=community.group, user=community.tom).notification_level
        == "all"
    )
    # The form is kept (a fragment) by the level it shows: the page shows the new one, and
    # another member's form carries their own CSRF token.
    html = client.get(page).content.decode()
    assert chosen.findall(html) == ["all"]
    marie = Client(enforce_csrf_checks=True)
    marie.force_login(community.marie)
    html = marie.get(page).content.decode()
    assert chosen.findall(html) == ["mine"]
    form = re.search(r'<form[^>]*class="filters level-form".*?</form>', html, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = marie.post(
        reverse("discussions:notification_level", args=[community.group.slug]),
        {"level": "none", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_author_edits_and_moderator_reads_the_history(client, community):
    thread = community.thread(body="First version")
    post = thread.posts.get()
    client.force_login(community.marie)
    edit = reverse("discussions:post_edit", args=[community.group.slug, post.pk])
    response = client.post(edit, {"title": "Pricing, again", "body": "Second version"})
    assert response.status_code == 302
    html = client.get(thread_url(thread)).content.decode()
    assert "Second version" in html and ">edited<" in html and "Pricing, again" in html
    history = reverse("discussions:post_history", args=[community.group.slug, post.pk])
    assert client.get(history).status_code == 403
    client.force_login(community.moderator)
    html = client.get(history).content.decode()
    assert "First version" in html and "Second version" in html and "Pricing a translation" in html


def test_delete_shows_a_placeholder_to_members_and_the_text_to_moderators(client, community):
    thread = community.thread()
    reply = community.reply(thread, body="Oops, wrong thread")
    client.force_login(community.tom)
    client.post(reverse("discussions:post_delete", args=[community.group.slug, reply.pk]))
    html = client.get(thread_url(thread)).content.decode()
    assert "This post was deleted." in html and "Oops, wrong thread" not in html
    client.force_login(community.moderator)
    html = client.get(thread_url(thread)).content.decode()
    assert "Oops, wrong thread" in html and "Restore" in html
    client.post(reverse("discussions:post_restore", args=[community.group.slug, reply.pk]))
    reply.refresh_from_db()
    assert reply.deleted_at is None


def test_deleting_the_opening_post_hides_the_thread_but_moderators_can_restore(client, community):
    thread = community.thread()
    opening = thread.posts.get()
    client.force_login(community.marie)
    response = client.post(
        reverse("discussions:post_delete", args=[community.group.slug, opening.pk])
    )
    assert response.url == community.group.get_absolute_url()
    assert client.get(thread_url(thread)).status_code == 404
    client.force_login(community.moderator)
    assert client.get(thread_url(thread)).status_code == 200
    html = client.get(community.group.get_absolute_url() + "?threads=deleted").content.decode()
    assert "Pricing a translation" in html
    client.post(reverse("discussions:post_restore", args=[community.group.slug, opening.pk]))
    client.force_login(community.tom)
    assert client.get(thread_url(thread)).status_code == 200


def test_author_corrects_the_language(client, community):
    thread = community.thread(body="Ok for me")
    post = thread.posts.get()
    client.force_login(community.marie)
    client.post(
        reverse("discussions:post_language", args=[community.group.slug, post.pk]),
        {"language": "fr"},
    )
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.language, post.language_set_by_author, thread.language) == ("fr", True, "fr")
    assert 'lang="fr"' in client.get(thread_url(thread)).content.decode()


def test_pin_announce_and_lock(client, community):
    thread = community.thread()
    client.force_login(community.owner)
    for action in ("pin", "announce", "lock"):
        assert (
            client.post(
                reverse(f"discussions:{action}", args=[community.group.slug, thread.pk])
            ).status_code
            == 302
        )
    thread.refresh_from_db()
    assert thread.is_pinned and thread.is_announcement and thread.is_locked
    client.force_login(community.tom)
    html = client.get(thread_url(thread)).content.decode()
    assert "This thread is closed to new replies." in html
    assert 'id="reply"' not in html


def test_long_threads_have_pages_and_open_at_the_first_unread_post(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    client.get(thread_url(thread))
    per_page = selectors.POSTS_PER_PAGE
    for number in range(per_page + 10):
        community.reply(thread, author=community.marie, body=f"Reply {number}")
    html = client.get(thread_url(thread)).content.decode()
    # Tom had read post 1: the first page holds the first unread post.
    assert 'id="post-2"' in html and f'id="post-{per_page + 1}"' not in html
    html = client.get(thread_url(thread) + "?page=2").content.decode()
    assert (
        f'id="post-{per_page + 1}"' in html
        and f'id="post-{per_page + 11}"' in html
        and 'id="reply"' in html
    )
    assert 'href="?page=1"' in html
    # The page links are kept (a fragment): each page marks its own number, and a new page
    # shows in the list at once.
    assert '<span aria-current="page">2</span>' in html
    first = client.get(thread_url(thread) + "?page=1").content.decode()
    assert '<span aria-current="page">1</span>' in first and 'href="?page=2"' in first
    assert 'href="?page=3"' not in first
    for number in range(per_page):
        community.reply(thread, author=community.marie, body=f"More {number}")
    first = client.get(thread_url(thread) + "?page=1").content.decode()
    assert 'href="?page=3"' in first


def test_a_held_posts_reactions_stay_with_it_and_each_post_links_its_own_actions(client):
    """The page reads its reactions by its positions: those of a post the reader is not
    shown (held) are left out. Each post's actions are built from one reversed address,
    even in a group whose address is that number."""
    community = Community(slug="987654321")
    thread = community.thread(body="Opening")
    shown = community.reply(thread, author=community.marie, body="Shown to all")
    held = community.reply(thread, author=community.tom, body="Waiting for a moderator")
    Post.objects.filter(pk=held.pk).update(is_held=True)
    Reaction.objects.create(post=held, user=community.moderator, emoji=Reaction.Emoji.choices[0][0])
    Reaction.objects.create(
        post=shown, user=community.moderator, emoji=Reaction.Emoji.choices[1][0]
    )
    client.force_login(community.marie)
    html = client.get(thread_url(thread)).content.decode()
    assert "Shown to all" in html and "Waiting for a moderator" not in html
    assert html.count('class="reaction') >= 1
    assert f'href="/g/987654321/p/{shown.pk}/edit/"' in html
    assert f"/g/987654321/p/{held.pk}/" not in html
    client.force_login(community.moderator)
    html = client.get(thread_url(thread)).content.decode()
    assert "Waiting for a moderator" in html
    assert f'action="/g/987654321/p/{held.pk}/react/"' in html

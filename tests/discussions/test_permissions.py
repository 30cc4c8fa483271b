"""Who reaches which discussion page: group_access decides, as for every group page."""

import pytest
from django.test import Client
from django.urls import reverse

from goingsolo.discussions.models import Post
from tests.factories import UserFactory

from .conftest import Community, png_file

pytestmark = pytest.mark.django_db


def pages(community):
    """(method, url) of every discussion page of a group, with a thread, a reply, a file."""
    thread = community.thread(poll={"question": "Which day?", "options": ["Tue", "Thu"]})
    reply = community.reply(thread)
    client = Client()
    client.force_login(community.tom)
    client.post(
        reverse("discussions:reply", args=[community.group.slug, thread.pk]),
        {"body": "A photo", "attachments": [png_file()]},
    )
    attachment = Post.objects.get(thread=thread, position=3).attachments.get()
    slug = community.group.slug
    post_args = [slug, reply.pk]
    thread_args = [slug, thread.pk]
    return [
        ("get", reverse("discussions:thread", args=thread_args)),
        ("get", reverse("discussions:thread_create", args=[slug])),
        ("get", reverse("discussions:mentions", args=[slug]) + "?q=ma"),
        ("get", reverse("discussions:attachment", args=[slug, attachment.pk, attachment.name])),
        ("get", reverse("discussions:attachment_thumbnail", args=[slug, attachment.pk])),
        ("get", reverse("discussions:post_edit", args=post_args)),
        ("get", reverse("discussions:post_history", args=post_args)),
        ("post", reverse("discussions:reply", args=thread_args)),
        ("post", reverse("discussions:poll_vote", args=thread_args)),
        ("post", reverse("discussions:subscription", args=thread_args)),
        ("post", reverse("discussions:lock", args=thread_args)),
        ("post", reverse("discussions:post_react", args=post_args)),
        ("post", reverse("discussions:post_delete", args=post_args)),
        ("post", reverse("discussions:post_language", args=post_args)),
        ("post", reverse("discussions:post_restore", args=post_args)),
        ("post", reverse("discussions:notification_level", args=[slug])),
    ]


def visit(client, method, url):
    data = {"body": "x", "emoji": "👍", "state": "following", "language": "fr", "level": "all"}
    return client.get(url) if method == "get" else client.post(url, data)


def test_a_secret_groups_discussions_do_not_exist_for_outsiders():
    secret = Community(visibility="secret")
    outsider = Client()
    outsider.force_login(UserFactory())
    urls = pages(secret)
    before = Post.objects.count()
    for method, url in urls:
        assert visit(Client(), method, url).status_code == 404, url
        assert visit(outsider, method, url).status_code == 404, url
    assert Post.objects.count() == before


def test_a_closed_groups_discussions_ask_anonymous_visitors_to_log_in_and_refuse_outsiders():
    closed = Community(visibility="closed")
    outsider = Client()
    outsider.force_login(UserFactory())
    urls = pages(closed)
    before = Post.objects.count()
    for method, url in urls:
        response = visit(Client(), method, url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
        assert visit(outsider, method, url).status_code == 403, url
    assert Post.objects.count() == before


def test_the_group_page_shows_threads_only_to_those_who_may_read_them(client):
    closed = Community(visibility="closed")
    closed.thread(title="Members only")
    client.force_login(UserFactory())
    html = client.get(closed.group.get_absolute_url()).content.decode()
    assert "Members only" not in html and 'id="discussions"' not in html
    client.force_login(closed.tom)
    assert "Members only" in client.get(closed.group.get_absolute_url()).content.decode()


def test_a_public_group_is_read_by_anyone_but_written_by_members(client):
    public = Community(visibility="public")
    thread = public.thread(title="Open to all")
    url = reverse("discussions:thread", args=[public.group.slug, thread.pk])
    html = Client().get(url).content.decode()
    assert "Open to all" in html and "Log in to reply." in html and 'id="reply"' not in html
    assert "Start a thread" not in Client().get(public.group.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    html = client.get(url).content.decode()
    assert "Only members of this group can reply." in html
    assert 'name="emoji"' not in html
    mentions = reverse("discussions:mentions", args=[public.group.slug])
    assert client.get(mentions).status_code == 403


def test_a_thread_of_another_group_is_not_found(client):
    first = Community()
    second = Community(prefix="b-")
    thread = first.thread()
    client.force_login(second.tom)
    url = reverse("discussions:thread", args=[second.group.slug, thread.pk])
    assert client.get(url).status_code == 404


def test_anonymous_readers_of_a_public_group_are_asked_to_log_in_to_follow(client):
    public = Community(visibility="public")
    thread = public.thread()
    url = reverse("discussions:subscription", args=[public.group.slug, thread.pk])
    response = client.post(url, {"state": "following"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_live_updates_are_heard_only_by_readers(client):
    secret = Community(visibility="secret")
    thread = secret.thread()
    urls = [
        reverse("discussions:thread_events", args=[secret.group.slug, thread.pk]),
        reverse("discussions:group_events", args=[secret.group.slug]),
        reverse("discussions:post_fragment", args=[secret.group.slug, thread.pk, 1]),
    ]
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert Client().get(urls[0]).status_code == 404


def test_a_post_fragment_is_the_post_as_the_page_shows_it(client, community):
    thread = community.thread()
    community.reply(thread, body="A live reply")
    client.force_login(community.marie)
    url = reverse("discussions:post_fragment", args=[community.group.slug, thread.pk, 2])
    html = client.get(url).content.decode()
    assert html.strip().startswith('<li class="post-item">')
    assert 'id="post-2"' in html and "A live reply" in html
    missing = reverse("discussions:post_fragment", args=[community.group.slug, thread.pk, 9])
    assert client.get(missing).status_code == 404

"""The home page's activity feed counts its pages over the member's groups only: its count
is a query of its own (selectors.activity_count), so it must agree with the list."""

import pytest
from django.urls import reverse

from goingsolo.discussions import selectors, services
from goingsolo.discussions.models import Thread
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


def start(group, author, title, language="en"):
    return services.thread_start(
        group=group, author=author, title=title, body="A question.", language=language
    ).post.thread


def test_the_feed_pages_count_the_threads_of_the_members_groups_and_nothing_else(client):
    mine, other = GroupFactory(), GroupFactory()
    reader = member_of(mine, read_languages=["en"])
    author = member_of(mine)
    outsider = member_of(other)
    # Exactly two pages: one thread counted too many would make a third.
    for number in range(2 * selectors.ACTIVITY_PER_PAGE):
        start(mine, author, f"Thread {number}")
    # Not counted: another group's threads, a deleted one, a held one, another language.
    for number in range(selectors.ACTIVITY_PER_PAGE):
        start(other, outsider, f"Elsewhere {number}")
    Thread.objects.filter(pk=start(mine, author, "Deleted").pk).update(
        deleted_at="2026-01-01T00:00Z"
    )
    Thread.objects.filter(pk=start(mine, author, "Held").pk).update(is_held=True)
    start(mine, author, "En français", language="fr")

    client.force_login(reader)
    first = client.get(reverse("home")).content.decode()
    assert "Page 1 of 2" in first
    last = client.get(reverse("home") + "?activity_page=2").content.decode()
    assert "Page 2 of 2" in last and "Thread 0<" in last
    # Every language: the French thread is one more, and the oldest goes to a third page.
    every = client.get(reverse("home") + "?activity_language=&activity_page=3").content.decode()
    assert "Page 3 of 3" in every and "Thread 0<" in every

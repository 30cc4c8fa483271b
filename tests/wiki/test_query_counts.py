"""Wiki list pages run a fixed number of queries, whatever the number of rows (literal
counts at one row and at three)."""

import itertools

import pytest
from django.urls import reverse

from goingsolo.wiki import services
from tests.support import count_queries, query_counts

from .conftest import edit, make_page, moderator_of, new_member, reload, trusted_member

pytestmark = pytest.mark.django_db

numbers = itertools.count()


def test_page_list_and_recent_changes(group, client):
    author = trusted_member(group)
    client.force_login(moderator_of(group))

    def make():
        page = make_page(group, trusted_member(group), title=f"Page {next(numbers)}", body="a")
        edit(page, author, "b")
        services.page_rename(page=reload(page), user=author, title=f"Renamed {next(numbers)}")
        make_page(group, new_member(group), title=f"Held {next(numbers)}", body="c")

    assert query_counts(client, reverse("wiki:pages", args=[group.slug]), make) == (8, 8)
    assert query_counts(client, reverse("wiki:changes", args=[group.slug]), make) == (7, 7)


def test_history(group, client):
    page = make_page(group, trusted_member(group), body="0")
    client.force_login(moderator_of(group))

    def make():
        edit(page, trusted_member(group), str(next(numbers)))
        edit(page, new_member(group), f"held {next(numbers)}")

    url = reverse("wiki:history", args=[group.slug, page.slug])
    assert query_counts(client, url, make) == (9, 9)


def test_review_queue(group, client):
    page = make_page(group, trusted_member(group), body="0")
    client.force_login(moderator_of(group))

    def make():
        edit(page, new_member(group), f"held {next(numbers)}")
        make_page(group, new_member(group), title=f"New {next(numbers)}", body="x")

    # Held edits wait in the group's one review queue (goingsolo/moderation); one query
    # tells which of their authors the moderator may act on (the controls beside them), two
    # more are held email: its list and the count of messages waiting for their senders.
    assert query_counts(client, reverse("moderation:queue", args=[group.slug]), make) == (12, 12)


def test_group_page_section(group, client):
    client.force_login(trusted_member(group))

    def make():
        make_page(group, trusted_member(group), title=f"Page {next(numbers)}", body="a")

    assert query_counts(client, reverse("groups:detail", args=[group.slug]), make) == (11, 11)


def test_a_page_with_many_links_runs_a_fixed_number_of_queries(group, client):
    author = trusted_member(group)
    client.force_login(author)
    titles = [f"Topic {n}" for n in range(8)]
    for title in titles[:4]:
        make_page(group, author, title=title, body="x")
    one = make_page(group, author, title="One link", body="[[Topic 0]] [[Missing]]")
    many = make_page(group, author, title="Many links", body=" ".join(f"[[{t}]]" for t in titles))
    assert count_queries(client, one.get_absolute_url()) == 14
    assert count_queries(client, many.get_absolute_url()) == 14


def test_what_links_here_with_former_titles(group, client):
    author = trusted_member(group)
    page = make_page(group, author, title="Target", body="x")
    client.force_login(author)

    def make():
        # A page linking by the current title, then a rename that makes it a former one:
        # both the linking pages and the former titles grow.
        number = next(numbers)
        make_page(group, author, title=f"Linking {number}", body=f"[[{reload(page).title}]]")
        services.page_rename(page=reload(page), user=author, title=f"Target {number}")

    def url():
        return reverse("wiki:links", args=[group.slug, reload(page).slug])

    make()
    assert count_queries(client, url()) == 10
    for _ in range(2):
        make()
    assert count_queries(client, url()) == 10

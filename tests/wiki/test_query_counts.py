"""Wiki list pages run a fixed number of queries, whatever the number of rows."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goingsolo.wiki import services

from .conftest import edit, make_page, moderator_of, new_member, reload, trusted_member

pytestmark = pytest.mark.django_db

numbers = itertools.count()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def grow(make, client, url, small=1, large=5):
    for _ in range(small):
        make()
    few = count_queries(client, url)
    for _ in range(large - small):
        make()
    many = count_queries(client, url)
    return few, many


def test_page_list_and_recent_changes(group, client):
    author = trusted_member(group)
    client.force_login(moderator_of(group))

    def make():
        page = make_page(group, trusted_member(group), title=f"Page {next(numbers)}", body="a")
        edit(page, author, "b")
        services.page_rename(page=reload(page), user=author, title=f"Renamed {next(numbers)}")
        make_page(group, new_member(group), title=f"Held {next(numbers)}", body="c")

    for url in (
        reverse("wiki:pages", args=[group.slug]),
        reverse("wiki:changes", args=[group.slug]),
    ):
        few, many = grow(make, client, url)
        assert few == many, url


def test_history(group, client):
    page = make_page(group, trusted_member(group), body="0")
    client.force_login(moderator_of(group))

    def make():
        edit(page, trusted_member(group), str(next(numbers)))
        edit(page, new_member(group), f"held {next(numbers)}")

    few, many = grow(make, client, reverse("wiki:history", args=[group.slug, page.slug]))
    assert few == many


def test_review_queue(group, client):
    page = make_page(group, trusted_member(group), body="0")
    client.force_login(moderator_of(group))

    def make():
        edit(page, new_member(group), f"held {next(numbers)}")
        make_page(group, new_member(group), title=f"New {next(numbers)}", body="x")

    few, many = grow(make, client, reverse("wiki:review", args=[group.slug]))
    assert few == many


def test_group_page_section(group, client):
    client.force_login(trusted_member(group))

    def make():
        make_page(group, trusted_member(group), title=f"Page {next(numbers)}", body="a")

    few, many = grow(make, client, reverse("groups:detail", args=[group.slug]))
    assert few == many


def test_a_page_with_many_links_runs_a_fixed_number_of_queries(group, client):
    author = trusted_member(group)
    client.force_login(author)
    titles = [f"Topic {n}" for n in range(8)]
    for title in titles[:4]:
        make_page(group, author, title=title, body="x")
    one = make_page(group, author, title="One link", body="[[Topic 0]] [[Missing]]")
    many = make_page(group, author, title="Many links", body=" ".join(f"[[{t}]]" for t in titles))
    assert count_queries(client, one.get_absolute_url()) == count_queries(
        client, many.get_absolute_url()
    )


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
    few = count_queries(client, url())
    for _ in range(4):
        make()
    assert count_queries(client, url()) == few

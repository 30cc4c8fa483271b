"""The events' and the wiki's pages are kept for visitors too (core/page_cache.py; the
discussions' pages are tested in tests/discussions/test_visitor_pages.py): served again
with one query while nothing was written, never after a write, never to members, and a
group that closes is closed to the next visitor at once."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goingsolo.events import services as events
from goingsolo.groups import services as groups
from goingsolo.groups.models import Role
from goingsolo.wiki import services as wiki
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(url):
    response = Client().get(url)
    return response.status_code, response.content.decode()


def queries_of(url):
    with CaptureQueriesContext(connection) as captured:
        Client().get(url)
    return len(captured)


@pytest.fixture
def place():
    group = GroupFactory(name="Freelancers of Lausanne", slug="lausanne", visibility="public")
    owner = member_of(group, Role.OWNER)
    event = events.event_create(group=group, by=owner, **event_fields())
    page = wiki.page_create(
        group=group, author=owner, title="Pricing", body="Ask for 30 % up front."
    ).page
    return group, owner, event, page


def addresses(group, event, page):
    return [
        reverse("events:upcoming"),
        reverse("events:group_events", args=[group.slug]),
        event.get_absolute_url(),
        reverse("wiki:pages", args=[group.slug]),
        page.get_absolute_url(),
    ]


def test_a_second_visitor_is_served_each_page_kept_with_one_query(place):
    group, _owner, event, page = place
    for url in addresses(group, event, page):
        status, first = visit(url)
        assert status == 200, url
        assert queries_of(url) == 1, url
        assert TOKEN.sub("", visit(url)[1]) == TOKEN.sub("", first)
    assert "Coffee and co-working" in visit(event.get_absolute_url())[1]


def test_an_event_change_a_registration_and_a_wiki_edit_show_at_once(place):
    group, owner, event, page = place
    event_url, page_url = event.get_absolute_url(), page.get_absolute_url()
    for url in (event_url, page_url):
        visit(url)
        assert queries_of(url) == 1

    events.event_update(event=event, by=owner, title_en="Coffee, co-working and croissants")
    assert "Coffee, co-working and croissants" in visit(event_url)[1]
    assert "Coffee, co-working and croissants" in visit(reverse("events:upcoming"))[1]

    assert "1 going" not in visit(event_url)[1]
    events.registration_set(event=event, user=member_of(group), status="going")
    assert "1 going" in visit(event_url)[1]

    wiki.page_edit(
        page=page,
        author=owner,
        body="Ask for a third up front.",
        base_revision_id=page.current_revision_id,
    )
    assert "Ask for a third up front." in visit(page_url)[1]


def test_a_group_that_closes_is_closed_to_the_next_visitor(place):
    group, owner, event, page = place
    urls = addresses(group, event, page)[1:]
    for url in urls:
        visit(url)
        assert queries_of(url) == 1
    groups.group_update(group=group, by=owner, visibility="closed")
    for url in urls:
        status, html = visit(url)
        assert status in (302, 404), url
        assert "Ask for 30 %" not in html and "Coffee and co-working" not in html
    assert "Coffee and co-working" not in visit(reverse("events:upcoming"))[1]


def test_members_are_never_served_the_visitors_page(place, client):
    group, _owner, event, _page = place
    url = event.get_absolute_url()
    visit(url)
    assert queries_of(url) == 1
    client.force_login(member_of(group))
    html = client.get(url).content.decode()
    assert "I’m going" in html
    assert "I’m going" not in visit(url)[1]

"""A group's member list: 30 a page, filters kept from page to page, in place with htmx and
without JavaScript, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from goingsolo.groups.models import Role
from goingsolo.groups.views.members import MEMBERS_PER_PAGE
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def names_on(response):
    """The names the list shows, each a link to the profile or plain text."""
    found = re.findall(r"<strong>(.*?)</strong>", response.content.decode())
    return [re.sub(r"<[^>]+>", "", name) for name in found]


def test_the_list_shows_thirty_members_a_page(client, group):
    admin = member_of(group, Role.ADMIN, display_name="Aaron Admin")
    for number in range(34):
        member_of(group, display_name=f"Member {number:02d}")
    client.force_login(admin)
    url = reverse("groups:members", args=[group.slug])

    first = client.get(url)
    assert MEMBERS_PER_PAGE == 30
    assert len(names_on(first)) == 30
    assert names_on(first)[0] == "Aaron Admin", "admins before members"
    assert "1–30 of 35 members" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()

    second = client.get(url + "?page=2")
    assert names_on(second) == [f"Member {n:02d}" for n in range(29, 34)]
    assert "31–35 of 35 members" in second.content.decode()
    assert 'href="?page=1"' in second.content.decode()


def test_page_links_keep_the_filters(client, group):
    viewer = member_of(group, city="Leeds")
    for number in range(32):
        member_of(group, display_name=f"Lausanne {number:02d}", city="Lausanne")
    client.force_login(viewer)
    response = client.get(reverse("groups:members", args=[group.slug]) + "?city=Lausanne")
    page = response.content.decode()
    assert "1–30 of 32 members" in page
    assert 'href="?city=Lausanne&amp;page=2"' in page
    second = client.get(reverse("groups:members", args=[group.slug]) + "?city=Lausanne&page=2")
    assert names_on(second) == ["Lausanne 30", "Lausanne 31"]
    # The filter form is still filled in on the second page.
    assert 'value="Lausanne"' in second.content.decode()


def test_page_links_work_in_place_with_htmx_and_without_javascript(client, group):
    viewer = member_of(group)
    for _ in range(31):
        member_of(group)
    client.force_login(viewer)
    url = reverse("groups:members", args=[group.slug])
    page = client.get(url).content.decode()
    nav = re.search(r'<nav class="pagination".*?</nav>', page, re.S).group(0)
    # A plain link for browsers without JavaScript; htmx swaps the results in place.
    assert 'href="?page=2"' in nav
    assert 'hx-get="?page=2"' in nav
    assert 'hx-target="#member-results"' in nav
    assert 'hx-push-url="true"' in nav
    in_place = client.get(url + "?page=2", HTTP_HX_REQUEST="true")
    assert in_place.status_code == 200
    assert 'id="member-results"' in in_place.content.decode()


def test_with_htmx_the_filters_get_the_results_alone(client, group):
    client.force_login(member_of(group, city="Leeds", display_name="Lee"))
    member_of(group, city="Lausanne", display_name="Laura")
    url = reverse("groups:members", args=[group.slug])
    page = client.get(url).content.decode()
    form = re.search(r'<form method="get" class="filters".*?>', page).group(0)
    # The form works without JavaScript; htmx sends it to the same address.
    assert f'hx-get="{url}"' in form and 'hx-target="#member-results"' in form
    assert "hx-select" not in page
    in_place = client.get(url, {"city": "Lausanne"}, HTTP_HX_REQUEST="true")
    fragment = in_place.content.decode()
    assert fragment.lstrip().startswith('<div id="member-results"')
    assert "<html" not in fragment and 'class="filters"' not in fragment
    assert names_on(in_place) == ["Laura"]
    assert "HX-Request" in in_place["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client, group):
    client.force_login(member_of(group))
    response = client.get(
        reverse("groups:members", args=[group.slug]),
        {"page": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()
    assert 'class="filters"' in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-3", "999", "1.5", "²"])
def test_a_bad_page_number_shows_a_page_of_the_list(client, group, page):
    viewer = member_of(group, display_name="Viewer")
    client.force_login(viewer)
    response = client.get(reverse("groups:members", args=[group.slug]), {"page": page})
    assert response.status_code == 200
    assert names_on(response) == ["Viewer"]


def test_a_filter_with_no_match_says_so(client, group):
    client.force_login(member_of(group, city="Leeds"))
    response = client.get(reverse("groups:members", args=[group.slug]) + "?city=Nowhere")
    assert "No member matches these filters." in response.content.decode()
    assert 'class="pagination"' not in response.content.decode()


def test_member_list_queries_do_not_grow_with_the_members(client, group, django_assert_num_queries):
    admin = member_of(group, Role.ADMIN)
    client.force_login(admin)
    url = reverse("groups:members", args=[group.slug])
    # Session, user, group, the viewer's membership; the list's count and the page's rows;
    # the cities for the filter; the unread notifications in the header; which of the
    # listed members the viewer may open a profile of (not asked while the viewer is alone).
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    member_of(group, city="Leeds")
    member_of(group, city="Lausanne")
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(url + "?city=Lausanne&page=1").status_code == 200

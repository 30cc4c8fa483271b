"""Every page of a group shows the group's tabs, contributed by the features, with the
current one marked; the management tabs show only to those who may use them."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.groups import tabs
from goingsolo.groups.access import GroupAccess
from goingsolo.groups.models import Role
from goingsolo.groups.rules import Action
from goingsolo.wiki import services as wiki
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


class TabsParser(HTMLParser):
    """Reads the group's navigation: its tabs as (label, address, current), in order."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside <nav class="group-nav"> when > 0
        self.tabs = []
        self.link = None
        self.label_of_manage = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "group-nav" in (attrs.get("class") or "").split():
            self.depth = 1
        elif self.depth and tag == "nav":
            self.depth += 1
        elif self.depth and tag == "a":
            self.link = {"href": attrs["href"], "current": attrs.get("aria-current"), "text": ""}

    def handle_endtag(self, tag):
        if self.depth and tag == "nav":
            self.depth -= 1
        elif self.link is not None and tag == "a":
            self.tabs.append((self.link["text"].strip(), self.link["href"], self.link["current"]))
            self.link = None

    def handle_data(self, data):
        if self.link is not None:
            self.link["text"] += data


def tabs_of(response):
    assert response.status_code == 200, response.status_code
    parser = TabsParser()
    parser.feed(response.content.decode())
    return parser.tabs


def labels(found):
    return [label for label, _href, _current in found]


def current(found):
    return [label for label, _href, is_current in found if is_current == "page"]


MEMBER_TABS = ["Discussions", "Events", "Wiki", "Members", "About"]
ADMIN_TABS = [*MEMBER_TABS, "Review", "Requests", "Invitations", "Email settings", "Settings"]


@pytest.fixture
def owner(group):
    return member_of(group, Role.OWNER, display_name="Stephanie")


@pytest.fixture
def content(group, owner, django_capture_on_commit_callbacks):
    """A thread, an event and a wiki page, so that their pages exist."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = discussions.thread_start(
            group=group, author=owner, title="Rates", body="What do you charge?"
        ).post.thread
        event = events.event_create(group=group, by=owner, announce=False, **event_fields())
        page = wiki.page_create(group=group, author=owner, title="Tools", body="A list.").page
    return {"thread": thread, "event": event, "page": page}


# (page, its address, the tab it marks current)
PAGES = [
    ("home", lambda g, c: reverse("groups:detail", args=[g.slug]), "Discussions"),
    (
        "thread",
        lambda g, c: reverse("discussions:thread", args=[g.slug, c["thread"].pk]),
        "Discussions",
    ),
    ("new thread", lambda g, c: reverse("discussions:thread_create", args=[g.slug]), "Discussions"),
    ("events", lambda g, c: reverse("events:group_events", args=[g.slug]), "Events"),
    ("event", lambda g, c: c["event"].get_absolute_url(), "Events"),
    ("interest checks", lambda g, c: reverse("events:checks", args=[g.slug]), "Events"),
    ("wiki", lambda g, c: reverse("wiki:pages", args=[g.slug]), "Wiki"),
    ("wiki page", lambda g, c: c["page"].get_absolute_url(), "Wiki"),
    ("wiki changes", lambda g, c: reverse("wiki:changes", args=[g.slug]), "Wiki"),
    ("members", lambda g, c: reverse("groups:members", args=[g.slug]), "Members"),
    ("about", lambda g, c: reverse("groups:about", args=[g.slug]), "About"),
    ("review", lambda g, c: reverse("moderation:queue", args=[g.slug]), "Review"),
    ("review log", lambda g, c: reverse("moderation:log", args=[g.slug]), "Review"),
    ("requests", lambda g, c: reverse("groups:requests", args=[g.slug]), "Requests"),
    ("invitations", lambda g, c: reverse("groups:invitations", args=[g.slug]), "Invitations"),
    ("email settings", lambda g, c: reverse("mail:settings", args=[g.slug]), "Email settings"),
    ("settings", lambda g, c: reverse("groups:settings", args=[g.slug]), "Settings"),
]


@pytest.mark.parametrize(("kind", "address", "tab"), PAGES, ids=[p[0] for p in PAGES])
def test_every_group_page_shows_the_tabs_with_the_current_one_marked(
    client, group, owner, content, kind, address, tab
):
    client.force_login(owner)
    response = client.get(address(group, content))
    found = tabs_of(response)
    assert labels(found) == ADMIN_TABS
    assert current(found) == [tab]
    if kind != "home":
        assert f'<a href="{group.get_absolute_url()}">Going Solo</a>' in response.content.decode()


def test_each_tab_leads_to_its_page(client, group, owner):
    client.force_login(owner)
    found = tabs_of(client.get(reverse("groups:detail", args=[group.slug])))
    addresses = dict((label, href) for label, href, _current in found)
    assert addresses["Discussions"] == reverse("groups:detail", args=[group.slug])
    assert addresses["Events"] == reverse("events:group_events", args=[group.slug])
    assert addresses["Wiki"] == reverse("wiki:pages", args=[group.slug])
    assert addresses["Members"] == reverse("groups:members", args=[group.slug])
    assert addresses["About"] == reverse("groups:about", args=[group.slug])
    for label, href, _current in found:
        assert client.get(href).status_code == 200, label


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.MEMBER, MEMBER_TABS),
        (Role.MODERATOR, [*MEMBER_TABS, "Review"]),
        (Role.ADMIN, ADMIN_TABS),
        (Role.OWNER, ADMIN_TABS),
    ],
)
def test_management_tabs_show_only_to_those_who_may_use_them(client, group, role, expected):
    client.force_login(member_of(group, role))
    found = tabs_of(client.get(reverse("groups:members", args=[group.slug])))
    assert labels(found) == expected


def test_visitors_see_the_tabs_of_what_they_may_read(client):
    public = GroupFactory(visibility="public")
    closed = GroupFactory(visibility="closed")
    # Anonymous: a public group's content, not its members (people with an account only).
    assert labels(tabs_of(client.get(public.get_absolute_url()))) == [
        "Discussions",
        "Events",
        "Wiki",
        "About",
    ]
    assert labels(tabs_of(client.get(closed.get_absolute_url()))) == ["About"]
    client.force_login(UserFactory())
    assert labels(tabs_of(client.get(public.get_absolute_url()))) == MEMBER_TABS
    assert labels(tabs_of(client.get(closed.get_absolute_url()))) == ["About"]


def test_the_join_page_shows_the_tabs_with_none_current(client):
    public = GroupFactory(visibility="public", join_policy="approval")
    client.force_login(UserFactory())
    found = tabs_of(client.get(reverse("groups:join", args=[public.slug])))
    assert labels(found) == MEMBER_TABS
    assert current(found) == []


def test_tabs_show_in_the_visitors_language(client, group):
    client.force_login(member_of(group, language="fr"))
    found = tabs_of(client.get(reverse("groups:about", args=[group.slug])))
    assert labels(found) == ["Discussions", "Événements", "Wiki", "Membres", "À propos"]
    assert current(found) == ["À propos"]


def test_features_register_their_tabs_and_groups_names_none_of_them():
    by_name = {tab.name: tab for tab in tabs.registered()}
    assert by_name["discussions"].url_name == "groups:detail"
    assert by_name["events"].url_name == "events:group_events"
    assert by_name["wiki"].url_name == "wiki:pages"
    assert by_name["mail-settings"].action == Action.ADMINISTER
    assert by_name["review"].action == Action.MODERATE
    assert [t.name for t in tabs.registered() if t.manages] == [
        "review",
        "requests",
        "invitations",
        "mail-settings",
        "settings",
    ]
    source = (tabs.__file__, tabs.__file__.replace("tabs.py", "templatetags/group_tabs.py"))
    for path in source:
        text = open(path).read()
        for feature in ("discussions", "events", "wiki", "mail"):
            assert f"goingsolo.{feature}" not in text, (path, feature)


def test_the_tabs_cost_no_query(client, group, owner, rf):
    """The tabs read the visitor's access, which the page has loaded for its own checks."""
    request = rf.get("/")
    request.user = owner
    access = GroupAccess(request, group)
    with CaptureQueriesContext(connection) as queries:
        shown = tabs.tabs_for(group=group, access=access, active="wiki")
    assert len(queries) == 0
    assert [tab.name for tab in shown.main if tab.current] == ["wiki"]


LONG_DESCRIPTION = (
    "Going Solo began in Lausanne in 2008, as a one-day conference about working "
    "independently in a connected world: how to get known, how to set your prices, how to "
    "organise yourself, how to break the isolation of working alone.\n\n"
    "This group is what finally did. We talk every day, from the very specific to the very "
    "general."
)


def test_threads_come_first_on_the_group_page(client, group, owner, content):
    group.description_en = LONG_DESCRIPTION
    group.rules = "Be kind, and assume good faith."
    group.save()
    client.force_login(owner)
    page = client.get(group.get_absolute_url()).content.decode()
    # A one-line summary, then the threads; the description and rules in full are in About.
    assert page.index("Going Solo began in Lausanne") < page.index("Rates")
    assert "This group is what finally did" not in page
    assert "Be kind, and assume good faith." not in page
    assert page.index('id="discussions"') < page.index('id="group-events"')
    assert page.index('id="group-events"') < page.index('id="wiki-section-title"')
    about = client.get(reverse("groups:about", args=[group.slug])).content.decode()
    assert "This group is what finally did" in about
    assert "Be kind, and assume good faith." in about
    assert "Leave this group" in about


def test_the_group_page_shows_the_description_in_full_to_those_who_cannot_read_more(client):
    closed = GroupFactory(visibility="closed", rules="No advertising.")
    client.force_login(UserFactory())
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "A group for independent workers." in page
    assert "No advertising." in page
    assert "Only members see this group" in page


@pytest.mark.parametrize(
    ("visibility", "status"), [("public", 200), ("closed", 200), ("secret", 404)]
)
def test_the_about_page_answers_like_the_group_page(client, visibility, status):
    group = GroupFactory(visibility=visibility, rules="No advertising.")
    for visitor in (None, UserFactory()):
        if visitor:
            client.force_login(visitor)
        assert client.get(reverse("groups:about", args=[group.slug])).status_code == status
        assert client.get(group.get_absolute_url()).status_code == status

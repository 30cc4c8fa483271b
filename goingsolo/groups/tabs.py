"""The tabs of a group's pages, contributed by the features.

groups knows nothing of discussions, events or the wiki; each of them registers its tab at
start-up (in its AppConfig.ready), as it registers its sections (sections.py). Every group
page renders the tabs with one include, `groups/_group_nav.html`, which marks the current one.

A tab is a name (what a page passes as `active` to mark it current, e.g. a thread page marks
"discussions"), a label, a URL name reversed with the group's slug, an order, and the action
the visitor needs to see it. Tabs that need `moderate` or `administer` are the group's
management tabs, shown apart. Deciding who sees a tab reads the visitor's `GroupAccess`, which
the page has already loaded: the tabs cost no query.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .rules import Action

MANAGEMENT_ACTIONS = frozenset({Action.MODERATE, Action.ADMINISTER})


@dataclass(frozen=True)
class Tab:
    name: str
    label: str  # a lazy translation: the tab shows in the visitor's language
    url_name: str
    order: int = 100
    action: Action = Action.VIEW_CONTENT

    @property
    def manages(self):
        return self.action in MANAGEMENT_ACTIONS


@dataclass(frozen=True)
class ShownTab:
    name: str
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class GroupTabs:
    main: list
    manage: list


_tabs = {}


def register(tab):
    """Adds TAB (or replaces the tab of the same name: ready() may run twice in tests)."""
    _tabs[tab.name] = tab
    return tab


def registered():
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.name))


def allowed_key(access):
    """Which of the registered tabs ACCESS allows: with the group and the page, what the
    tabs show (the key of their kept fragment, groups/_group_nav.html)."""
    return tuple(access.can(tab.action) for tab in registered())


def tabs_for(*, group, access, active="", path=""):
    """The tabs ACCESS allows in GROUP, split into the main ones and the management ones.

    A tab is current when the page names it (ACTIVE) or when its address is the page's PATH.
    """
    main, manage = [], []
    for tab in registered():
        if not access.can(tab.action):
            continue
        url = reverse(tab.url_name, args=[group.slug])
        shown = ShownTab(
            name=tab.name, label=tab.label, url=url, current=tab.name == active or url == path
        )
        (manage if tab.manages else main).append(shown)
    return GroupTabs(main=main, manage=manage)


# The tabs of groups' own pages. The features add theirs (Discussions, Events, Wiki…).
register(Tab("members", _("Members"), "groups:members", order=40, action=Action.LIST_MEMBERS))
register(
    Tab("about", pgettext_lazy("group tab", "About"), "groups:about", order=90, action=Action.FIND)
)
register(Tab("requests", _("Requests"), "groups:requests", order=110, action=Action.ADMINISTER))
register(
    Tab("invitations", _("Invitations"), "groups:invitations", order=120, action=Action.ADMINISTER)
)
register(Tab("settings", _("Settings"), "groups:settings", order=190, action=Action.ADMINISTER))

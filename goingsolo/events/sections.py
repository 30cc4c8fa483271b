"""The events' sections of the group page and of the home page (goingsolo/groups/sections.py)."""

from django.utils.translation import pgettext_lazy

from goingsolo.groups import sections, tabs

from . import rules, selectors

tabs.register(
    tabs.Tab("events", pgettext_lazy("events", "Events"), "events:group_events", order=20)
)


@sections.register("group", stylesheets=["goingsolo/events.css"])
def upcoming_in_group(request, *, group, access):
    """The group's next events and its open interest checks; two queries."""
    if not access.can_view_content:
        return None
    events, more = selectors.next_events(group=group)
    return sections.Section(
        template="events/section_group.html",
        context={
            "group": group,
            "events": events,
            "more": more,
            "checks": selectors.section_checks(group=group),
            "can_create": rules.can_create(request.user, group, access.membership),
        },
        order=20,
    )


@sections.register("home", stylesheets=["goingsolo/events.css"])
def upcoming_in_my_groups(request, *, groups):
    """The next events of the viewer's groups; two queries."""
    events = selectors.upcoming_in_my_groups(user=request.user) if groups else []
    selectors.with_registrations(user=request.user, events=events)
    return sections.Section(
        template="events/section_home.html", context={"events": events}, order=20
    )

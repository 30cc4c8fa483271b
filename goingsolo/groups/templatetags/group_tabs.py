"""{% group_tabs as tabs %}: the tabs of the group page being rendered (groups/tabs.py)."""

from django import template

from goingsolo.groups import tabs
from goingsolo.groups.access import GroupAccess

register = template.Library()


@register.simple_tag(takes_context=True)
def group_tabs(context):
    """Reads `group`, `access` and `active` from the page; `access` is the visitor's
    GroupAccess, which every group page loads to check the rules."""
    request = context.get("request")
    access = context.get("access")
    group = context["group"]
    if access is None:
        # A page that did not pass its access: load it (two queries at most) rather than
        # show a member the tabs of a stranger.
        access = GroupAccess(request, group)
    return tabs.tabs_for(
        group=group,
        access=access,
        active=context.get("active", ""),
        path=request.path if request is not None else "",
    )

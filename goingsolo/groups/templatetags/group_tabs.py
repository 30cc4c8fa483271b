"""{% group_tabs as tabs %}: the tabs of the group page being rendered (groups/tabs.py);
{% group_nav_key as key %}: everything they show, the key of their kept fragment."""

from django import template

from goingsolo.groups import tabs
from goingsolo.groups.access import GroupAccess

register = template.Library()


def _access(context):
    access = context.get("access")
    if access is None:
        # A page that did not pass its access: load it (two queries at most) rather than
        # show a member the tabs of a stranger.
        access = context["access"] = GroupAccess(context.get("request"), context["group"])
    return access


@register.simple_tag(takes_context=True)
def group_nav_key(context):
    """The group, the page and the tabs the visitor may see."""
    request = context.get("request")
    group = context["group"]
    return (
        group.slug,
        group.name,
        context.get("active", ""),
        request.path if request is not None else "",
        tabs.allowed_key(_access(context)),
    )


@register.simple_tag(takes_context=True)
def group_tabs(context):
    """Reads `group`, `access` and `active` from the page; `access` is the visitor's
    GroupAccess, which every group page loads to check the rules."""
    request = context.get("request")
    access = _access(context)
    group = context["group"]
    return tabs.tabs_for(
        group=group,
        access=access,
        active=context.get("active", ""),
        path=request.path if request is not None else "",
    )

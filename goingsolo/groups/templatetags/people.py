"""Links to members' profiles, only where the reader may open them (groups/people.py).

{% load people %}
{% prefetch_people registrations "user" %}     one query for the whole list
{% person_link registration.user %}            <a href=…>Name</a> or <span>Name</span>
{% person_link post.author class="author" %}
{% person_url speaker.user as profile_url %}   the address, or ""
{% linked_mentions post.body_html %}           mentions of closed profiles as text
"""

from django import template
from django.contrib.auth.models import AnonymousUser

from goingsolo.groups.people import ProfileAccess, person_link_html

register = template.Library()


def _access(context):
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    return ProfileAccess.of(viewer)


def _follow(item, path):
    for name in path.split(".") if path else ():
        if item is None:
            return None
        item = getattr(item, name, None)
    return item


@register.simple_tag(takes_context=True)
def prefetch_people(context, items, *paths):
    """Loads whether the reader may open the profiles of ITEMS' people (at PATHS, dotted,
    each a user, an id or a list of them; no path: ITEMS are the people)."""
    people = []
    for item in items or ():
        for path in paths or ("",):
            found = _follow(item, path)
            if isinstance(found, (list, tuple, set, frozenset)):
                people.extend(found)
            elif found is not None:
                people.append(found)
    _access(context).load(people)
    return ""


@register.simple_tag(takes_context=True)
def person_link(context, person, **attributes):
    if person is None:
        return ""
    return person_link_html(_access(context), person, attributes.get("class", ""))


@register.simple_tag(takes_context=True)
def person_url(context, person):
    return _access(context).url(person) if person is not None else ""


@register.simple_tag(takes_context=True)
def linked_mentions(context, html):
    return _access(context).link_mentions(html)

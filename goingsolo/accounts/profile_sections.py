"""Sections features add to the member's own profile page (`accounts/profile_edit.html`),
below the profile form: a feature registers a function from its AppConfig.ready, as it
registers its part of the export (`privacy.py`). Each function takes the request and returns
a Section, or None when it has nothing to say to that member.

Events registers one: where the member's city is on the map, asked back when the gazetteer
does not know it or knows several of that name (docs/events.md).
"""

from dataclasses import dataclass, field

_sections = []


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 500


def register(function):
    if function not in _sections:
        _sections.append(function)
    return function


def sections_for(request):
    """The sections of REQUEST's member's profile page, in order."""
    found = [section for section in (function(request) for function in _sections) if section]
    return sorted(found, key=lambda section: section.order)

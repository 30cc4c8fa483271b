"""Sections of the home page and of a group's page, contributed by the features.

groups knows nothing of discussions, events or the wiki; each of them registers section
providers at start-up (in its AppConfig.ready) and the pages render what they return.

- page "group": a provider is called with (request, group=..., access=...)
- page "home": a provider is called with (request, groups=[...]) — the viewer's groups

A provider returns None (nothing to show, e.g. the visitor may not read the content) or a
Section. Each provider must run a fixed number of queries, whatever the data.
"""

from dataclasses import dataclass, field


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_providers = {"group": [], "home": []}


def register(page):
    """Decorator: adds the provider to PAGE ("group" or "home")."""

    def decorate(provider):
        if provider not in _providers[page]:
            _providers[page].append(provider)
        return provider

    return decorate


def sections_for(page, request, **kwargs):
    found = [provider(request, **kwargs) for provider in _providers[page]]
    return sorted((section for section in found if section is not None), key=lambda s: s.order)

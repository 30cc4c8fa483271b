"""Sections of the home page and of a group's page, contributed by the features.

groups knows nothing of discussions, events or the wiki; each of them registers section
providers at start-up (in its AppConfig.ready) and the pages render what they return.

- page "group": a provider is called with (request, group=..., access=...)
- page "home": a provider is called with (request, groups=[...]) — the viewer's groups

A provider returns None (nothing to show, e.g. the visitor may not read the content) or a
Section. Each provider must run a fixed number of queries, whatever the data.

A section's template is a partial: it links no stylesheet or script. The registration names
them (static paths, e.g. `register("group", stylesheets=["goingsolo/events.css"])`), and the
page puts those of the sections it shows in its head (`groups/base.html`), once each.
"""

from dataclasses import dataclass, field


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class _Provider:
    function: object
    stylesheets: tuple
    scripts: tuple


@dataclass(frozen=True)
class PageSections:
    """The sections a page shows, in order, and the stylesheets and scripts they need."""

    sections: list
    stylesheets: list
    scripts: list

    def __iter__(self):
        return iter(self.sections)

    def __len__(self):
        return len(self.sections)


_providers = {"group": [], "home": []}


def register(page, *, stylesheets=(), scripts=()):
    """Decorator: adds the provider to PAGE ("group" or "home"), with the STYLESHEETS and
    SCRIPTS (static paths) its section needs in the page's head."""

    def decorate(function):
        if all(provider.function is not function for provider in _providers[page]):
            _providers[page].append(_Provider(function, tuple(stylesheets), tuple(scripts)))
        return function

    return decorate


def sections_for(page, request, **kwargs):
    shown = []
    for provider in _providers[page]:
        section = provider.function(request, **kwargs)
        if section is not None:
            shown.append((section, provider))
    shown.sort(key=lambda pair: pair[0].order)
    providers = [provider for _section, provider in shown]
    return PageSections(
        sections=[section for section, _provider in shown],
        stylesheets=_once(path for provider in providers for path in provider.stylesheets),
        scripts=_once(path for provider in providers for path in provider.scripts),
    )


def _once(paths):
    return list(dict.fromkeys(paths))

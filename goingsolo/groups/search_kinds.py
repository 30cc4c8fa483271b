"""How each kind of search result is shown, registered by the features that index it.

The search page lives in groups because groups decides what a reader may see; features
register a presenter for their kinds ("post", "event", "wiki_page"). A presenter takes the
hits of its kind and returns {object_id: Presented}, in a fixed number of queries; a hit it
leaves out is not shown (deleted since it was indexed, for instance).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise


@dataclass
class Presented:
    title: str
    url: str
    group: object
    snippet: str
    author_name: str = ""
    created_at: datetime | None = None
    language: str = ""
    label: str | Promise = ""


_presenters = {}


def register(kind):
    def decorate(presenter):
        _presenters[kind] = presenter
        return presenter

    return decorate


def kinds():
    return list(_presenters)


def present(hits):
    """The hits that can be shown, in order, as Presented objects."""
    by_kind = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    shown = {}
    for kind, kind_hits in by_kind.items():
        presenter = _presenters.get(kind)
        if presenter is not None:
            for object_id, presented in presenter(kind_hits).items():
                shown[(kind, object_id)] = presented
    return [shown[(hit.kind, hit.object_id)] for hit in hits if (hit.kind, hit.object_id) in shown]

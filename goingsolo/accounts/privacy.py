"""What a member takes away (export), what goes when they delete their account (erasure),
and what "reset my private links" revokes: the registry the features fill.

accounts knows no feature (groups, discussions, events and the wiki are above it), so each
feature registers its part here from its own `privacy.py`, imported by its
AppConfig.ready, as they register sections and tabs:

- `@exporter`: a function of the member that returns `ExportFile`s, only the member's own
  data (what they wrote, chose, registered for; never another member's words);
- `@eraser`: a function of the member and `keep_posts`, run inside the transaction that
  deletes the account (`services.account_delete`); it may refuse with a ValidationError
  (a sole owner of a group), which rolls everything back;
- `@link_resetter`: a function of the member, run inside the transaction of
  `services.private_links_reset`, that gives new secret addresses for what the feature
  serves without a session (the calendar feed).

docs/privacy.md describes what each feature exports and erases.
"""

import json
from dataclasses import dataclass

_exporters = []
_erasers = []
_link_resetters = []


@dataclass(frozen=True)
class ExportFile:
    """A file of the export: PATH inside the zip; CONTENT, text (a post as Markdown) or,
    for a path ending in .json, data that json.dumps writes."""

    path: str
    content: object

    def as_bytes(self):
        if self.path.endswith(".json"):
            text = json.dumps(self.content, ensure_ascii=False, indent=2, default=str)
        else:
            text = self.content
        return text.encode()


def _register(registry):
    def decorate(function):
        if function not in registry:
            registry.append(function)
        return function

    return decorate


exporter = _register(_exporters)
eraser = _register(_erasers)
link_resetter = _register(_link_resetters)


def export_files(user):
    """Every feature's files for USER, in the order the features registered."""
    return [file for function in _exporters for file in function(user)]


def erase(user, *, keep_posts):
    for function in _erasers:
        function(user, keep_posts=keep_posts)


def reset_links(user):
    for function in _link_resetters:
        function(user)

"""The barcamp's live events (docs/live-updates.md): one channel per barcamp event,
"barcamp:<event id>", which the board and the grid pages listen to.

- "grid.changed": what the board shows may have changed (published, moved, re-planned);
  its data names the board's fragment, which the page fetches again.
- "sessions.changed": proposals or wishes changed (the organiser's grid shows it).
"""

from django.urls import reverse

from goingsolo.core import live


def channel(event):
    return f"barcamp:{event.pk}"


def grid_changed(event):
    """On commit: the board of EVENT fetches its grid again."""
    url = reverse("barcamp:board_fragment", args=[event.group.slug, event.pk])
    live.publish_on_commit(channel(event), "grid.changed", {"fragment_url": url})


def sessions_changed(event):
    """On commit: proposals or wishes of EVENT changed."""
    live.publish_on_commit(channel(event), "sessions.changed", {})

"""The Review tab of a group's pages: the review queue, for its moderators."""

from django.utils.translation import pgettext_lazy

from goingsolo.groups.rules import Action
from goingsolo.groups.tabs import Tab, register

register(
    Tab(
        "review",
        pgettext_lazy("group tab", "Review"),
        "moderation:queue",
        order=105,
        action=Action.MODERATE,
    )
)

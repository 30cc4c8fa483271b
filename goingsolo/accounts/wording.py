"""What a notification says, in the active language: on the notifications page and in
the Web Push message sent to the member's devices."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification


def actors(notification):
    """ "Ana", "Ana and Bob", "Ana, Bob and Carl", "Ana, Bob and 3 others"."""
    names = [name for name in notification.actor_names if name] or [_("Someone")]
    others = max(notification.actor_count - len(names), 0)
    if others:
        return ngettext(
            "%(names)s and %(count)d other", "%(names)s and %(count)d others", others
        ) % {"names": ", ".join(names), "count": others}
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def sentence(notification):
    """One line: who did what, where ("Ana mentioned you in “Rates”")."""
    values = {"actors": actors(notification), "title": notification.title}
    kind = notification.kind
    Kind = Notification.Kind
    if kind == Kind.REPLY:
        return _("%(actors)s replied in your thread “%(title)s”") % values
    if kind == Kind.MENTION:
        return _("%(actors)s mentioned you in “%(title)s”") % values
    if kind == Kind.FOLLOWED:
        return _("%(actors)s posted in “%(title)s”") % values
    if kind == Kind.REACTION:
        # The verb agrees with the number of people in some languages (French).
        return (
            ngettext(
                "%(actors)s reacted to your post in “%(title)s”",
                "%(actors)s reacted to your post in “%(title)s”",
                max(notification.actor_count, len(notification.actor_names)),
            )
            % values
        )
    if kind == Kind.ANNOUNCEMENT:
        return _("Announcement from %(actors)s: “%(title)s”") % values
    if kind == Kind.EVENT_CHANGED:
        return _("New time or place for “%(title)s”") % values
    if kind == Kind.EVENT_CANCELLED:
        return _("“%(title)s” is cancelled") % values
    if kind == Kind.EVENT_REINSTATED:
        return _("“%(title)s” is back on") % values
    return notification.title

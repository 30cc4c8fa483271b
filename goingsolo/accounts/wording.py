"""What a notification says, in the active language: on the notifications page and in
the Web Push message sent to the member's devices."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


# What each kind of notification says; a reaction's sentence agrees with the number of people.
SENTENCES = {
    Notification.Kind.REPLY: gettext_lazy("%(actors)s replied in your thread “%(title)s”"),
    Notification.Kind.MENTION: gettext_lazy("%(actors)s mentioned you in “%(title)s”"),
    Notification.Kind.FOLLOWED: gettext_lazy("%(actors)s posted in “%(title)s”"),
    Notification.Kind.ANNOUNCEMENT: gettext_lazy("Announcement from %(actors)s: “%(title)s”"),
    Notification.Kind.EVENT_CHANGED: gettext_lazy("New time or place for “%(title)s”"),
    Notification.Kind.EVENT_CANCELLED: gettext_lazy("“%(title)s” is cancelled"),
    Notification.Kind.EVENT_REINSTATED: gettext_lazy("“%(title)s” is back on"),
}


def sentence(notification):
    """One line: who did what, where ("Ana mentioned you in “Rates”")."""
    values = {"actors": actors(notification), "title": notification.title}
    if notification.kind == Notification.Kind.REACTION:
        # The verb agrees with the number of people in some languages (French).
        return (
            ngettext(
                "%(actors)s reacted to your post in “%(title)s”",
                "%(actors)s reacted to your post in “%(title)s”",
                max(notification.actor_count, len(notification.actor_names)),
            )
            % values
        )
    if notification.kind in SENTENCES:
        return str(SENTENCES[notification.kind]) % values
    return notification.title

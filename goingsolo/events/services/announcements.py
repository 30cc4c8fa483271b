"""What an event's announcement thread is told.

Creating an event opens the thread (`announcement_body`); afterwards the thread hears what
becomes of the event: a reply for a new time or place, a cancellation, a reinstatement or
a deletion. Replies are posts, so they reach the group as any post does (notifications,
mailing list). Each is written in the thread's own language (detected for its opening
post), so the thread reads in one language; the reply's author is the organiser who made
the change. Called by the use cases of `events` and `cancellation`, inside their
transaction.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from goingsolo.discussions import rules as discussion_rules
from goingsolo.discussions import services as discussions

from ..models import Event
from ..text import times, when_where_lines
from .shared import CALENDAR_FIELDS, PLACE_FIELDS, TIME_FIELDS, TITLE_FIELDS


def announcement_body(event, language):
    """The opening post of EVENT's announcement, in LANGUAGE."""
    with translation.override(language):
        lines = [event.description.strip(), ""] if event.description.strip() else []
        lines += when_where_lines(event)
        lines += [
            "",
            _("Register here: %(url)s") % {"url": settings.SITE_URL + event.get_absolute_url()},
            _(
                "Or answer this message by email with “yes” (or “oui”) to register, “no” (or “non”) to cancel."
            ),
        ]
    return "\n".join(lines)


def _announcement_of(event, by):
    """EVENT's announcement thread, or None when there is none or BY may not reply in it
    any more: a thread the group's moderators deleted or closed is left as they left it."""
    thread = event.announcement_thread
    if thread is None or thread.deleted_at is not None:
        return None
    if thread.is_locked and not discussion_rules.can_moderate(by, event.group):
        return None
    if not discussion_rules.can_post(by, event.group):
        return None
    return thread


def _thread_language(event, thread):
    if thread.language in dict(settings.LANGUAGES):
        return thread.language
    return "fr" if event.title_fr and not event.title_en else settings.LANGUAGE_CODE


def reply_in_announcement(event, by, write_lines):
    """BY replies in EVENT's announcement thread with the lines WRITE_LINES() returns,
    written in the thread's language, and a link to the event while it has a page.
    Returns the post, or None when there is no thread to reply in or nothing to say.
    Side effects: those of `discussions.services.post_reply`."""
    thread = _announcement_of(event, by)
    if thread is None:
        return None
    language = _thread_language(event, thread)
    with translation.override(language):
        lines = write_lines()
        if not lines:
            return None
        if not event.is_deleted:
            url = settings.SITE_URL + event.get_absolute_url()
            lines += ["", _("The event: %(url)s") % {"url": url}]
    body = "\n".join(lines)
    return discussions.post_reply(thread=thread, author=by, body=body, language=language).post


def announce_changes(event, by, changed, before):
    """The announcement thread follows EVENT's new title, time, place or online link
    (CHANGED, from BEFORE): the thread takes the new title, a reply says what is new.
    Side effects: those of `discussions.services.post_edit` and `post_reply`."""
    if not changed & (TITLE_FIELDS | CALENDAR_FIELDS):
        return
    thread = _announcement_of(event, by)
    if thread is None:
        return
    with translation.override(_thread_language(event, thread)):
        old_title = Event(title_en=before["title_en"], title_fr=before["title_fr"]).title
        new_title = event.title
    # Only when the title in the thread's language changed: a title a moderator gave the
    # thread stays while the event keeps its own.
    if new_title != old_title and new_title != thread.title:
        opening = thread.posts.get(position=1)
        discussions.post_edit(post=opening, by=by, body=opening.body, title=new_title)

    def lines():
        said = []
        if new_title != old_title:
            said.append(_("New title: %(title)s") % {"title": new_title})
        if changed & TIME_FIELDS:
            said.append(_("New time: %(start)s – %(end)s (%(zone)s)") % times(event))
        if changed & PLACE_FIELDS:
            said.append(_new_place(event))
        if "online_url" in changed and event.online_url:
            # Never the link itself: the thread is read by people without a seat.
            said.append(_("New online link: people with a seat find it on the event page."))
        return said

    reply_in_announcement(event, by, lines)


def _new_place(event):
    if event.place_line:
        return _("New venue: %(place)s") % {"place": event.place_line}
    if event.online_url:
        return _("The event is now online (the link is given to registered people).")
    return _("The venue is to be announced.")

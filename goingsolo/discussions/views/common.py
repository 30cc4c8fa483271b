"""What the discussion views share: the thread a URL names, and what a post shows
with it (the context of `discussions/_post.html`, whole page or fragment)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language

from goingsolo.core.translation import TranslationError, cached_translate, translation_enabled
from goingsolo.groups.trust import TrustLevel, trust_level

from .. import rules, selectors, services
from ..forms import language_choices


def thread_or_404(access, thread_id):
    """The group's thread; a deleted thread exists for moderators only, a held one for
    its author and the moderators."""
    thread = selectors.thread_of(group=access.group, thread_id=thread_id)
    if thread is None or (thread.deleted_at is not None and not access.can_moderate):
        raise Http404
    if not can_see_held(access, thread):
        raise Http404
    thread.group = access.group
    return thread


def posting_limit(access):
    """The rate limit (GOINGSOLO_RATE_LIMITS) a post by the visitor counts against: a
    member the group still counts as new waits longer between posts."""
    return "post_new_member" if trust_level(access.membership) == TrustLevel.NEW else "post"


def can_see_held(access, post_or_thread):
    """Whether the visitor of ACCESS sees POST_OR_THREAD, were it held for approval."""
    member_id = access.membership.user_id if access.membership is not None else None
    return rules.can_see_held(post_or_thread, user_id=member_id, is_moderator=access.can_moderate)


def post_url(post):
    return selectors.post_anchor_url(post.thread.get_absolute_url(), post.position)


def mentions_url(group):
    return reverse("discussions:mentions", args=[group.slug])


def can_reply(access, thread):
    return access.can_post and (not thread.is_locked or access.can_moderate)


def post_context(access, thread, post):
    """What `discussions/_post.html` reads besides the thread page's own context."""
    return {
        "group": access.group,
        "access": access,
        "thread": thread,
        "post": post,
        "can_reply": can_reply(access, thread),
        "languages": language_choices(),
        "translate_to": translation_target(),
    }


def translation_target():
    """The reader's language when the instance has a translation service, else None."""
    if not translation_enabled():
        return None
    return (get_language() or "").split("-")[0] or None


def translatable(post, target):
    return bool(target and post.language and post.language != target and post.deleted_at is None)


def translate_post(post, target):
    """Sets post.translation_html (rendered and sanitised like any post), or
    post.translation_error (a message for the reader). Side effect: a new translation is
    cached (goingsolo.core.translation)."""
    try:
        text = cached_translate(post.body, source=post.language, target=target, format="text")
    except TranslationError as error:
        post.translation_error = str(error)
    else:
        # The service's answer is an outsider's text: rendered like a post, never trusted.
        post.translation_html = services.render_post_body(post.group, text)

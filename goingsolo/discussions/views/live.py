"""Live updates of discussions (docs/live-updates.md): the server-sent events of a thread
and of a group, and one post as the thread page shows it, which a page fetches when it hears
of a new one."""

from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from goingsolo.core import live
from goingsolo.groups.access import LoginRequired, group_access, login_when_needed
from goingsolo.groups.rules import Action

from .. import live as live_channels
from .. import rules, selectors
from ..models import Post
from .common import can_see_held, post_context, thread_or_404


@login_when_needed
def post_fragment(request, slug, thread_id, position):
    """One post as the thread page shows it, for pages that hear of it live."""
    access = group_access(request, slug, Action.VIEW_CONTENT)
    thread = thread_or_404(access, thread_id)
    post = (
        Post.objects.filter(thread=thread, position=position)
        .select_related("author", "quoted_post__author")
        .prefetch_related("attachments")
        .first()
    )
    if post is None or not can_see_held(access, post):
        raise Http404
    post.group, post.thread = access.group, thread
    selectors.prepare_posts([post], user=request.user, membership=access.membership)
    return render(request, "discussions/_post.html", post_context(access, thread, post))


def _listener(request, slug, thread_id=None):
    """(group, thread) the visitor may hear of, else None: the same answer for a group or
    thread that does not exist and one they may not read."""
    try:
        access = group_access(request, slug, Action.VIEW_CONTENT)
        thread = thread_or_404(access, thread_id) if thread_id is not None else None
    except (Http404, PermissionDenied, LoginRequired):
        return None
    return access.group, thread


def _still_reader(group):
    def allowed(request):
        return rules.can_read(request.user, group)

    return allowed


async def thread_events(request, slug, thread_id):
    """The thread's new posts, as server-sent events."""
    found = await sync_to_async(_listener)(request, slug, thread_id)
    if found is None:
        raise Http404
    group, thread = found
    return await live.sse_response(
        request, [live_channels.thread_channel(thread.pk)], authorize=_still_reader(group)
    )


async def group_events(request, slug):
    """The group's new threads, as server-sent events."""
    found = await sync_to_async(_listener)(request, slug)
    if found is None:
        raise Http404
    group, _thread = found
    return await live.sse_response(
        request, [live_channels.group_channel(group.pk)], authorize=_still_reader(group)
    )

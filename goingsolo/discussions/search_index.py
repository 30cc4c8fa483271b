"""Posts in the shared search index (goingsolo.core.search), and how results show them.

One document per post, kind "post". The opening post carries the thread's title (weighted
above the text); replies carry none, so a word of the title finds the thread once, not
every reply. Deleted and held posts, and every post of a deleted or held thread, leave the
index; restoring (or approving) the thread's opening post brings its replies back.
"""

from goingsolo.core import search
from goingsolo.core.markdown import render_plain
from goingsolo.core.models import SearchDocument
from goingsolo.groups import search_kinds

from . import selectors
from .models import Post

KIND = "post"


def index_post(post):
    """Brings POST's document up to date. For an opening post, the thread's replies follow
    it: deleting the opening post hides the thread, restoring it brings the thread back."""
    thread = post.thread
    thread_hidden = thread.deleted_at is not None or thread.is_held
    _index_one(post, hidden=thread_hidden)
    if post.is_opening:
        _replies_follow_thread(thread, hidden=thread_hidden)


def _index_one(post, *, hidden):
    if hidden or post.deleted_at is not None or post.is_held:
        search.remove_document(kind=KIND, object_id=post.pk)
        return
    thread = post.thread
    search.index_document(
        kind=KIND,
        object_id=post.pk,
        group_id=post.group_id,
        author_id=post.author_id,
        language=post.language,
        title=thread.title if post.is_opening else "",
        body=render_plain(post.body),
        url=selectors.post_anchor_url(thread.get_absolute_url(), post.position),
        created_at=post.created_at,
    )


def _replies_follow_thread(thread, *, hidden):
    """Takes the replies of a hidden thread out of the index, or puts those missing back.
    One query when nothing changes (an edit of the opening post)."""
    replies = Post.objects.filter(
        thread=thread, position__gt=1, deleted_at__isnull=True, is_held=False
    )
    indexed = set(
        SearchDocument.objects.filter(kind=KIND, object_id__in=replies.values("pk")).values_list(
            "object_id", flat=True
        )
    )
    if hidden:
        for object_id in indexed:
            search.remove_document(kind=KIND, object_id=object_id)
        return
    for reply in replies.exclude(pk__in=indexed).select_related("group"):
        reply.thread = thread
        _index_one(reply, hidden=False)


@search_kinds.register(KIND)
def present_posts(hits):
    """Search results for posts: the thread's title, group and author, in one query."""
    posts = {
        post.pk: post
        for post in Post.objects.filter(
            pk__in=[hit.object_id for hit in hits],
            deleted_at__isnull=True,
            is_held=False,
            thread__deleted_at__isnull=True,
            thread__is_held=False,
        )
        .select_related("thread", "group", "author")
        .only(
            "pk",
            "position",
            "created_at",
            "language",
            "guest_author_name",
            "thread__id",
            "thread__title",
            "thread__group_id",
            "group__id",
            "group__slug",
            "group__name",
            "author__id",
            "author__display_name",
            "author__email",
        )
    }
    found = {}
    for hit in hits:
        post = posts.get(hit.object_id)
        if post is None:
            continue
        post.thread.group = post.group
        found[hit.object_id] = search_kinds.Presented(
            title=post.thread.title,
            # Made afresh: the group's address or the post's page may have changed.
            url=selectors.post_anchor_url(post.thread.get_absolute_url(), post.position),
            group=post.group,
            author_name=post.author_name,
            created_at=post.created_at,
            language=post.language,
            snippet=hit.snippet,
        )
    return found

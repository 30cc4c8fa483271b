"""Posts in the shared search index (goingsolo.core.search), and how results show them.

One document per post, kind "post". The opening post carries the thread's title (weighted
above the text); replies carry none, so a word of the title finds the thread once, not
every reply. Deleted posts, and every post of a deleted thread, leave the index.
"""

from goingsolo.core import search
from goingsolo.core.markdown import render_plain
from goingsolo.groups import search_kinds

from .models import Post

KIND = "post"


def index_post(post):
    thread = post.thread
    if post.deleted_at is not None or thread.deleted_at is not None:
        search.remove_document(kind=KIND, object_id=post.pk)
        return
    search.index_document(
        kind=KIND,
        object_id=post.pk,
        group_id=post.group_id,
        author_id=post.author_id,
        language=post.language,
        title=thread.title if post.is_opening else "",
        body=render_plain(post.body),
        url=post.get_absolute_url(),
        created_at=post.created_at,
    )


@search_kinds.register(KIND)
def present_posts(hits):
    """Search results for posts: the thread's title, group and author, in one query."""
    posts = {
        post.pk: post
        for post in Post.objects.filter(
            pk__in=[hit.object_id for hit in hits], deleted_at__isnull=True
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
        found[hit.object_id] = search_kinds.Presented(
            title=post.thread.title,
            url=hit.url,
            group=post.group,
            author_name=post.author_name,
            created_at=post.created_at,
            language=post.language,
            snippet=hit.snippet,
        )
    return found

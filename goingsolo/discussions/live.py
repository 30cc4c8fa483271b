"""Live updates of discussions: channel names and what is announced on them.

- "thread:<id>": "post.created" with the URL of the new post's HTML fragment, so an open
  thread page appends it;
- "group:<id>": "thread.created", so an open group page counts new threads.

Whoever may read the group may hear its channels; the event views check that first.
"""

from django.urls import reverse

from goingsolo.core import live


def thread_channel(thread_id):
    return f"thread:{thread_id}"


def group_channel(group_id):
    return f"group:{group_id}"


def announce_post(post):
    """Publishes a committed post (on commit, from the service that wrote it)."""
    if post.deleted_at is not None or post.is_held:
        return
    thread = post.thread
    live.publish(
        thread_channel(thread.pk),
        "post.created",
        {
            "position": post.position,
            # The page that posted it already shows it (live.js skips what it holds).
            "dom_id": f"post-{post.position}",
            "fragment_url": reverse(
                "discussions:post_fragment", args=[thread.group.slug, thread.pk, post.position]
            ),
        },
    )
    if post.is_opening:
        live.publish(group_channel(thread.group_id), "thread.created", {"thread_id": thread.pk})

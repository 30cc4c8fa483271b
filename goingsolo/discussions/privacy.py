"""Discussions' part of a member's export and of deleting their account
(the registry: `goingsolo/accounts/privacy.py`; what is in each file: docs/privacy.md)."""

from django.conf import settings

from goingsolo.accounts.privacy import ExportFile, eraser, exporter

from . import services
from .models import PollVote, Post, Reaction


def _post_data(post):
    return {
        "group": post.group.slug,
        "thread": post.thread.title if post.is_opening else "",
        "thread_id": post.thread_id,
        "in_thread": post.thread.title,
        "position": post.position,
        "url": settings.SITE_URL + post.get_absolute_url(),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "deleted_at": post.deleted_at,
        "language": post.language,
        "via": post.via,
        # Which post this one quotes, not its words: they are someone else's (the quote
        # the member kept in their own text is in "body").
        "quotes_position": post.quoted_post.position if post.quoted_post else None,
        "body": post.body,
    }


def _markdown(post):
    return f"# {post.thread.title}\n\n{post.body}\n"


@exporter
def export_posts(user):
    posts = list(
        Post.objects.filter(author=user)
        .select_related("thread", "group", "quoted_post")
        .order_by("created_at", "pk")
    )
    yield ExportFile("posts.json", [_post_data(post) for post in posts])
    for post in posts:
        if post.body:
            path = f"posts/{post.group.slug}/{post.thread_id}-{post.position}.md"
            yield ExportFile(path, _markdown(post))
    votes = PollVote.objects.filter(user=user).select_related("poll__thread__group", "option")
    yield ExportFile(
        "poll_votes.json",
        [
            {
                "group": vote.poll.thread.group.slug,
                "thread": vote.poll.thread.title,
                "question": vote.poll.question,
                "answer": vote.option.label,
                "voted_at": vote.created_at,
            }
            for vote in votes.order_by("created_at", "pk")
        ],
    )
    reactions = Reaction.objects.filter(user=user).select_related("post__thread")
    yield ExportFile(
        "reactions.json",
        [
            {
                "post_url": settings.SITE_URL + reaction.post.get_absolute_url(),
                "emoji": reaction.emoji,
                "at": reaction.created_at,
            }
            for reaction in reactions.order_by("created_at", "pk")
        ],
    )


@eraser
def erase_posts(user, *, keep_posts):
    if not keep_posts:
        services.author_posts_erase(author=user)
    services.reader_traces_erase(user=user)

"""The review queue of a group, in a fixed number of queries whatever it holds."""

from dataclasses import dataclass, field

from goingsolo.discussions.models import Post
from goingsolo.groups.models import JoinRequest
from goingsolo.wiki import selectors as wiki_selectors

from .models import Flag, LogEntry

LOG_PAGE = 100


@dataclass
class Queue:
    held_posts: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    revisions: list = field(default_factory=list)
    join_requests: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.held_posts or self.flags or self.revisions or self.join_requests)


def review_queue(*, group, with_join_requests):
    """What waits for GROUP's moderators, oldest first: held posts, open flags, held wiki
    edits and (WITH_JOIN_REQUESTS, for admins, who answer them) requests to join."""
    held_posts = list(
        Post.objects.filter(group=group, is_held=True, deleted_at__isnull=True)
        .select_related("thread", "author")
        .order_by("created_at", "pk")
    )
    for post in held_posts:
        post.thread.group = group
    flags = list(
        Flag.objects.filter(group=group, status=Flag.Status.OPEN)
        .select_related("reporter")
        .order_by("created_at", "pk")
    )
    join_requests = []
    if with_join_requests:
        join_requests = list(
            JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING)
            .select_related("user")
            .order_by("created_at", "pk")
        )
    return Queue(
        held_posts=held_posts,
        flags=flags,
        revisions=wiki_selectors.review_queue(group=group),
        join_requests=join_requests,
    )


def log_of(*, group):
    """GROUP's latest moderation actions, newest first."""
    return list(
        LogEntry.objects.filter(group=group)
        .select_related("moderator", "member")
        .order_by("-created_at", "-pk")[:LOG_PAGE]
    )

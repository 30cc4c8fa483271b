"""The review queue of a group, in a fixed number of queries whatever it holds."""

from dataclasses import dataclass, field

from goingsolo.discussions.models import Post
from goingsolo.groups import rules
from goingsolo.groups.models import Ban, JoinRequest, Membership
from goingsolo.wiki import selectors as wiki_selectors
from goingsolo.wiki.models import Revision

from .models import Flag, LogEntry, TargetKind

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


def log_about(*, group, member):
    """What GROUP's moderators did about MEMBER, newest first."""
    return list(
        LogEntry.objects.filter(group=group, member=member)
        .select_related("moderator")
        .order_by("-created_at", "-pk")[:LOG_PAGE]
    )


def bans_of(*, group):
    """Who is banned from GROUP, the latest first."""
    return list(
        Ban.objects.filter(group=group)
        .select_related("user", "banned_by")
        .order_by("-created_at", "-pk")
    )


def members_to_act_on(*, group, actor_membership, user_ids):
    """Which of USER_IDS (members of GROUP, or not) the holder of ACTOR_MEMBERSHIP may act
    on (`groups.rules.can_act_on`), as a set: the review queue shows the controls on a
    member only to them. One query."""
    if actor_membership is None:
        return set()
    memberships = Membership.objects.filter(group=group, user_id__in=set(user_ids))
    return {m.user_id for m in memberships if rules.can_act_on(actor_membership, m)}


def set_flag_members(flags):
    """Sets `member_id` on each of FLAGS: the member it concerns (the author of a flagged
    post or wiki edit, the flagged profile's owner; None for an event). Two queries at
    most."""
    ids = {kind: [f.object_id for f in flags if f.kind == kind] for kind in TargetKind.values}
    authors = {
        TargetKind.POST: dict(
            Post.objects.filter(pk__in=ids[TargetKind.POST]).values_list("pk", "author_id")
        )
        if ids[TargetKind.POST]
        else {},
        TargetKind.REVISION: dict(
            Revision.objects.filter(pk__in=ids[TargetKind.REVISION]).values_list("pk", "author_id")
        )
        if ids[TargetKind.REVISION]
        else {},
    }
    for flag in flags:
        if flag.kind == TargetKind.PROFILE:
            flag.member_id = flag.object_id
        else:
            flag.member_id = authors.get(flag.kind, {}).get(flag.object_id)

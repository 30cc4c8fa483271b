"""The review queue, of one group or of every group (the staff's), and the audit log, in a
fixed number of queries whatever they hold."""

from dataclasses import dataclass, field

from django.utils import timezone

from goingsolo.discussions.models import Post
from goingsolo.groups import rules
from goingsolo.groups.models import Ban, Group, JoinRequest, Membership
from goingsolo.mail.inbound import confirmations
from goingsolo.mail.inbound.parsing import parse_message
from goingsolo.mail.models import InboundMessage
from goingsolo.wiki import selectors as wiki_selectors
from goingsolo.wiki.models import Revision

from .models import Flag, LogEntry, TargetKind

LOG_PAGE = 100
# Each kind of item shows at most this many, oldest first: the rest waits for the next page
# load, once these are decided.
QUEUE_PAGE = 100
# What the queue can be narrowed to (the `kind` filter); "" is everything.
KINDS = ("posts", "flags", "edits", "emails", "requests")


@dataclass
class Queue:
    held_posts: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    revisions: list = field(default_factory=list)
    held_emails: list = field(default_factory=list)
    join_requests: list = field(default_factory=list)
    # Email waiting for its sender to confirm it: not the moderators' to decide, counted so
    # they know why a post may come late.
    awaiting_emails: int = 0

    @property
    def is_empty(self):
        return not (
            self.held_posts
            or self.flags
            or self.revisions
            or self.held_emails
            or self.join_requests
        )


def _in(queryset, group):
    return queryset if group is None else queryset.filter(group=group)


def review_queue(*, group, with_join_requests, kind=""):
    """What waits for GROUP's moderators (every group's, for the staff, when GROUP is
    None), oldest first: held posts, open flags, held wiki edits, held email and (WITH_JOIN_
    REQUESTS, for admins, who answer them) requests to join. KIND (one of KINDS) keeps one
    kind only. Every item has its `group` loaded."""
    queue = Queue()
    wanted = set(KINDS) if not kind else {kind}
    if "posts" in wanted:
        queue.held_posts = list(
            _in(Post.objects.filter(is_held=True, deleted_at__isnull=True), group)
            .select_related("thread", "author", "group")
            .order_by("created_at", "pk")[:QUEUE_PAGE]
        )
        for post in queue.held_posts:
            post.thread.group = post.group
    if "flags" in wanted:
        queue.flags = list(
            _in(Flag.objects.filter(status=Flag.Status.OPEN), group)
            .select_related("reporter", "group")
            .order_by("created_at", "pk")[:QUEUE_PAGE]
        )
    if "edits" in wanted:
        queue.revisions = wiki_selectors.review_queue(group=group)[:QUEUE_PAGE]
    if "emails" in wanted:
        queue.held_emails = held_emails(group=group)
        queue.awaiting_emails = _in(
            InboundMessage.objects.filter(
                status=InboundMessage.Status.AWAITING,
                received_at__gte=timezone.now() - confirmations.confirmation_lifetime(),
            ),
            group,
        ).count()
    if with_join_requests and "requests" in wanted:
        queue.join_requests = list(
            _in(JoinRequest.objects.filter(status=JoinRequest.Status.PENDING), group)
            .select_related("user", "group")
            .order_by("created_at", "pk")[:QUEUE_PAGE]
        )
    return queue


def held_emails(*, group):
    """New threads sent by email and held for a moderator (the group's `hold_new_threads`),
    oldest first, each with the text that would be posted as `preview`."""
    messages = list(
        _in(InboundMessage.objects.filter(status=InboundMessage.Status.HELD), group)
        .select_related("author", "group")
        .order_by("received_at", "pk")[:QUEUE_PAGE]
    )
    for message in messages:
        message.preview = parse_message(bytes(message.raw)).body_text
    return messages


def waiting_counts(*, group):
    """How many items wait in GROUP's queue (what a moderator's alert says): (for every
    moderator, for admins, who see the requests to join too); one query per kind."""
    everyone = sum(
        [
            Post.objects.filter(group=group, is_held=True, deleted_at__isnull=True).count(),
            Flag.objects.filter(group=group, status=Flag.Status.OPEN).count(),
            wiki_selectors.pending_count(group=group),
            InboundMessage.objects.filter(group=group, status=InboundMessage.Status.HELD).count(),
        ]
    )
    requests = JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING).count()
    return everyone, everyone + requests


def log_of(*, group):
    """GROUP's latest moderation actions (every group's when GROUP is None), newest first."""
    return list(
        _in(LogEntry.objects.all(), group)
        .select_related("moderator", "member", "group")
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


def groups_for_filter():
    """Every group, by name, for the staff's filter."""
    return list(Group.objects.order_by("name").only("pk", "name", "slug"))

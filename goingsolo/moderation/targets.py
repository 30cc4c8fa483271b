"""What can be flagged and acted on in a group (`models.TargetKind`): finding one by kind and
id within a group, as the member who flags it may see it, with what the queue and the log
say of it."""

from dataclasses import dataclass

from goingsolo.accounts.models import User
from goingsolo.discussions.models import Post
from goingsolo.events.models import Event
from goingsolo.wiki.models import Revision

from .models import TargetKind


@dataclass
class Target:
    kind: str
    object: object
    label: str
    url: str
    # The member it is about: the author of a post, edit or event; the profile's owner.
    member: User | None

    @property
    def object_id(self):
        return self.object.pk


def find(*, group, kind, object_id):
    """The target of KIND and OBJECT_ID in GROUP that everyone reading the group sees, or
    None (a held or deleted post is not there to flag)."""
    if kind == TargetKind.POST:
        post = (
            Post.objects.filter(
                group=group,
                pk=object_id,
                deleted_at__isnull=True,
                is_held=False,
                thread__deleted_at__isnull=True,
                thread__is_held=False,
            )
            .select_related("thread", "author")
            .first()
        )
        if post is None:
            return None
        post.thread.group = group
        label = f"{post.thread.title} #{post.position}"
        return Target(kind, post, label[:200], post.get_absolute_url(), post.author)
    if kind == TargetKind.REVISION:
        revision = (
            Revision.objects.filter(group=group, pk=object_id, status=Revision.Status.APPROVED)
            .select_related("page", "author")
            .first()
        )
        if revision is None:
            return None
        label = f"{revision.page.title} r{revision.number}"
        return Target(kind, revision, label[:200], revision.get_absolute_url(), revision.author)
    if kind == TargetKind.EVENT:
        event = Event.objects.filter(group=group, pk=object_id).select_related("created_by").first()
        if event is None:
            return None
        return Target(kind, event, event.title[:200], event.get_absolute_url(), event.created_by)
    if kind == TargetKind.PROFILE:
        member = User.objects.filter(pk=object_id, is_active=True, memberships__group=group).first()
        if member is None:
            return None
        return Target(kind, member, member.name[:200], member.get_absolute_url(), member)
    return None

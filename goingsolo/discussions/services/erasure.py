"""What a member who deletes their account takes with them from discussions
(`goingsolo/accounts/privacy.py` runs it, through `discussions/privacy.py`)."""

from django.db import transaction
from django.utils import timezone

from ..models import Post, PostRevision, ReadState, ThreadSubscription
from .posting import _post_set_deleted


@transaction.atomic
def author_posts_erase(*, author):
    """Deletes AUTHOR's posts for good: the text, its earlier versions and attachments
    (files included) go; the rows stay, deleted and empty, so the positions of the replies
    around them stay. An opening post hides its thread, as deleting it does. Returns how
    many posts were erased.
    Side effects on commit: removed from the search index (a job per post)."""
    now = timezone.now()
    posts = list(Post.objects.select_for_update().filter(author=author).select_related("thread"))
    for post in posts:
        for attachment in post.attachments.all():
            attachment.file.delete(save=False)
            if attachment.thumbnail:
                attachment.thumbnail.delete(save=False)
            attachment.delete()
        PostRevision.objects.filter(post=post).delete()
        Post.objects.filter(pk=post.pk).update(body="", body_html="")
        if post.deleted_at is None:
            _post_set_deleted(post, at=now, by=author)
    return len(posts)


@transaction.atomic
def reader_traces_erase(*, user):
    """Forgets what USER read, followed and muted."""
    ReadState.objects.filter(user=user).delete()
    ThreadSubscription.objects.filter(user=user).delete()

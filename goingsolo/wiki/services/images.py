"""Images held with the edits that bring them.

An image sent with the edit form (`editing.attachment_add`) is stored at once, so that its
uploader sees it in the text, but nobody else sees it yet: the edit it goes with may be
spam held for review. It is *published* (`Attachment.published_at`) when a revision by
its uploader that shows it is published — at once for a trusted member, on approval
otherwise — and deleted, files and all, when that edit is rejected. Only the uploader's
own revisions count, so that nobody publishes, or gets deleted, an image someone else is
still waiting to show.

A revision shows an image when its text holds the image's address, as the edit form
writes it (`/g/<group>/wiki/images/<id>/…`); the group of the revision is the image's.
"""

import re

from django.db import transaction
from django.utils import timezone

from ..models import Attachment, Revision

_IMAGE_ADDRESS = re.compile(r"/wiki/images/(\d{1,18})/")


def image_ids(body):
    """The ids of the wiki images whose address BODY holds."""
    return {int(found) for found in _IMAGE_ADDRESS.findall(body or "")}


def images_publish(revision):
    """REVISION is published: the images of its author that it shows are published too.
    No side effects beyond the rows."""
    ids = image_ids(revision.body)
    if not ids or revision.author_id is None:
        return
    Attachment.objects.filter(
        group_id=revision.group_id,
        uploaded_by_id=revision.author_id,
        pk__in=ids,
        published_at__isnull=True,
    ).update(published_at=timezone.now())


def images_discard(revisions):
    """REVISIONS were rejected: the unpublished images each author sent with them go,
    unless another of that author's edits still waiting for review shows them.
    Side effects: on commit, their files are deleted from the private storage."""
    doomed = []
    for revision in revisions:
        ids = image_ids(revision.body)
        if not ids or revision.author_id is None:
            continue
        candidates = Attachment.objects.filter(
            group_id=revision.group_id,
            uploaded_by_id=revision.author_id,
            pk__in=ids,
            published_at__isnull=True,
        )
        waiting = Revision.objects.filter(
            group_id=revision.group_id,
            author_id=revision.author_id,
            status=Revision.Status.PENDING,
        ).exclude(pk__in=[r.pk for r in revisions])
        for attachment in candidates:
            marker = f"/wiki/images/{attachment.pk}/"
            if not waiting.filter(body__contains=marker).exists():
                doomed.append(attachment)
    _delete(doomed)
    return len(doomed)


def member_images_discard(*, group, member):
    """Every edit of MEMBER in GROUP waiting for review was rejected at once (a mass
    revert): their images nobody else sees go. Side effects: as `images_discard`."""
    doomed = list(
        Attachment.objects.filter(group=group, uploaded_by=member, published_at__isnull=True)
    )
    _delete(doomed)
    return len(doomed)


def _delete(attachments):
    """Deletes ATTACHMENTS' rows now and their files once the transaction commits (a
    rolled-back rejection keeps them)."""
    if not attachments:
        return
    files = [
        (field.storage, field.name)
        for attachment in attachments
        for field in (attachment.file, attachment.thumbnail)
        if field
    ]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)

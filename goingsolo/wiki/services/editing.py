"""Writing a page's text: new pages, edits, pages imported with their history, the draft an
edit conflict keeps, and the images the edit form adds.

How an edit is saved:
1. The editor's *head* is what they see: the last approved revision, or their own edit
   still waiting for review when it was written on top of it (`selectors.head_for`).
2. The form carries the revision the editor started from. If it is no longer their head,
   someone saved meanwhile: nothing is saved, a three-way merge is offered and the
   editor's text is kept as a Draft until they save or discard it.
3. Members below TRUSTED, and any edit with a spam signal (a filled honeypot, a form sent
   too fast, a bad timestamp), are held for review (`review.held_because`); others
   publish at once.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.uploads import check_upload, make_thumbnail
from goingsolo.groups.trust import record_contribution

from .. import signals as wiki_signals
from ..limits import check_new_member_limits
from ..merge import MergeResult, merge3
from ..models import Attachment, Draft, Page, Revision, title_key
from ..selectors import head_for
from ..validators import clean_body, clean_summary, clean_title
from .renaming import check_title_free, claim_former_title, title_taken_error, unique_slug
from .review import held_because
from .revisions import (
    add_revision,
    approve_chain,
    membership_of,
    publish,
    require_edit,
    require_member,
)
from .watching import watch

IMAGE_MAX_SIDE = 2400
THUMBNAIL_MAX_SIDE = 800


@dataclass
class EditConflict:
    """Someone saved the page after the editor opened it."""

    base: Revision | None  # what the editor started from
    head: Revision  # what is there now
    mine: str  # the editor's text, kept in a Draft
    merge: MergeResult


@dataclass
class SaveResult:
    page: Page
    revision: Revision | None = None
    conflict: EditConflict | None = None
    held_because: list = field(default_factory=list)

    @property
    def is_held(self):
        return bool(self.held_because)


@transaction.atomic
def page_create(
    *, group, author, title, body, summary="", signals=(), take_over_former_title=False
):
    """AUTHOR creates a page in GROUP; returns a SaveResult.

    Held for review (status pending, seen by the author and moderators only) when the
    author is not trusted or SIGNALS name spam signals. The author watches the page.
    A title that is another page's former title is taken only with
    TAKE_OVER_FORMER_TITLE (claim_former_title).
    Side effects: the former title's redirect deleted when taken over; when published,
    the author's accepted contributions and, on commit, `tasks.revision_published`.
    """
    membership = membership_of(group, author)
    require_edit(author, group, membership)
    title = clean_title(title)
    body = clean_body(body)
    check_title_free(group, title)
    check_new_member_limits(
        membership=membership, group=group, user=author, old_body="", new_body=body
    )
    claim_former_title(group=group, key=title_key(title), take_over=take_over_former_title)
    held = held_because(membership, signals)
    try:
        with transaction.atomic():
            page = Page.objects.create(
                group=group,
                title=title,
                key=title_key(title),
                slug=unique_slug(group, title),
                created_by=author,
            )
    except IntegrityError:
        raise title_taken_error() from None
    page.group = group
    return _save(page, author, body, summary, parent=None, held=held, kind=Revision.Kind.CREATE)


def _save(page, author, body, summary, *, parent, held, kind, source=None):
    """What page_create and page_edit save: a revision of BODY on top of PARENT, held for
    review when HELD names reasons, else published with the author's own held edits under
    it; the author watches the page. Returns the SaveResult."""
    revision = add_revision(
        page=page,
        author=author,
        body=body,
        summary=clean_summary(summary),
        parent=parent,
        kind=kind,
        source=source,
        held_because=held,
    )
    if not held:
        # Own edits still pending under this one are part of it now.
        approve_chain(parent, reviewer=None)
        publish(page, revision)
        record_contribution(group_id=page.group_id, user_id=author.pk)
    else:
        transaction.on_commit(
            lambda: wiki_signals.revision_held.send(sender=Revision, revision=revision)
        )
    watch(page, author)
    return SaveResult(page=page, revision=revision, held_because=held)


@transaction.atomic
def page_edit(
    *,
    page,
    author,
    body,
    summary="",
    base_revision_id,
    signals=(),
    kind=Revision.Kind.EDIT,
    source=None,
):
    """AUTHOR saves BODY as the new text of PAGE, written from BASE_REVISION_ID.

    Returns a SaveResult: with `revision` when saved (held for review as in page_create),
    with `conflict` when someone saved another text after BASE_REVISION_ID — then nothing
    is saved and AUTHOR's text is kept as their Draft of the page. A rename meanwhile is
    no conflict: the text is the same.
    Side effects: a Draft written (conflict) or deleted (saved); the author watches the
    page; when published, the author's accepted contributions and, on commit,
    `tasks.revision_published`.
    """
    page = Page.objects.select_for_update().select_related("group").get(pk=page.pk)
    membership = membership_of(page.group, author)
    require_edit(author, page.group, membership, page=page)
    body = clean_body(body)
    head = head_for(page=page, user=author)
    if head is None:
        raise PermissionDenied
    base = head
    if base_revision_id != head.pk:
        base = Revision.objects.filter(page=page, pk=base_revision_id).first()
    # Saved meanwhile with another text: a conflict. A rename meanwhile keeps the text, so
    # the editor's work applies as it is.
    if base is None or base.body != head.body:
        draft_save(page=page, user=author, body=body, summary=summary, base_revision=base)
        merge = merge3(base.body if base is not None else "", head.body, body)
        return SaveResult(
            page=page, conflict=EditConflict(base=base, head=head, mine=body, merge=merge)
        )
    if body == head.body:
        raise ValidationError(
            {"body": _("The text is the same as the current version: there is nothing to save.")}
        )
    check_new_member_limits(
        membership=membership, group=page.group, user=author, old_body=head.body, new_body=body
    )
    Draft.objects.filter(page=page, user=author).delete()
    held = held_because(membership, signals)
    return _save(page, author, body, summary, parent=head, held=held, kind=kind, source=source)


@transaction.atomic
def page_import(*, group, title, revisions):
    """Adds a page with its history, published, outside the review queue: for imports and
    the demo. REVISIONS: (author, body, summary, created_at) in order. Returns the page.

    Side effects: on commit, `tasks.revision_published` for the last revision (search
    index; nobody watches the page yet, so nobody is notified).
    """
    title = clean_title(title)
    check_title_free(group, title)
    claim_former_title(group=group, key=title_key(title), take_over=True)
    first_at = revisions[0][3]
    page = Page.objects.create(
        group=group,
        title=title,
        key=title_key(title),
        slug=unique_slug(group, title),
        created_by=revisions[0][0],
        created_at=first_at,
    )
    page.group = group
    parent = None
    for number, (author, body, summary, created_at) in enumerate(revisions):
        parent = add_revision(
            page=page,
            author=author,
            body=clean_body(body),
            summary=summary,
            parent=parent,
            kind=Revision.Kind.CREATE if number == 0 else Revision.Kind.EDIT,
            at=created_at,
        )
    # Each imported revision was what everyone saw in its time.
    Revision.objects.filter(page=page).update(published_at=F("created_at"))
    publish(page, parent, at=parent.created_at)
    return page


def draft_save(*, page, user, body, summary, base_revision):
    """Keeps USER's unsaved text of PAGE (one draft per page and member). No side effects."""
    Draft.objects.update_or_create(
        page=page,
        user=user,
        defaults={
            "body": body,
            "summary": clean_summary(summary),
            "base_revision": base_revision,
            "updated_at": timezone.now(),
        },
    )


@transaction.atomic
def draft_discard(*, page, user):
    """USER drops their draft of PAGE. No side effects."""
    Draft.objects.filter(page=page, user=user).delete()


@transaction.atomic
def attachment_add(*, group, uploader, uploaded_file):
    """UPLOADER adds an image to GROUP's wiki; returns the Attachment.

    The file is read to check it is an image (core.uploads); what is stored are copies
    without metadata: the image (at most IMAGE_MAX_SIDE pixels) and a thumbnail for pages
    to show (THUMBNAIL_MAX_SIDE). The image is unpublished: its uploader and the
    moderators see it until a published revision of the uploader shows it
    (`images.images_publish`). Side effects: two files stored.
    """
    require_member(uploader, group)
    checked = check_upload(uploaded_file)
    if checked.kind != "image":
        raise ValidationError(
            _("Only images (JPEG, PNG, GIF, WebP) can be added to wiki pages."), code="file_type"
        )
    attachment = Attachment(
        group=group,
        uploaded_by=uploader,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
    )
    # Both stored files are copies made of pixels alone: no EXIF (camera, GPS position).
    image = make_thumbnail(uploaded_file, max_size=(IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    thumbnail = make_thumbnail(uploaded_file, max_size=(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE))
    attachment.name = image.name.replace("-thumbnail.", ".")
    attachment.file.save(attachment.name, image, save=False)
    attachment.thumbnail.save(thumbnail.name, thumbnail, save=False)
    attachment.size = attachment.file.size
    attachment.save()
    return attachment

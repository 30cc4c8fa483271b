"""Bringing texts back: a member restores an old revision of a page (`page_revert`), and a
moderator reverts every edit of a member in one action (`member_edits_revert`, after
`member_edits_plan` showed what it will do). A revert is a new revision: the history keeps
everything.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Page, Revision
from ..selectors import head_for
from .editing import page_edit
from .images import member_images_discard
from .revisions import add_revision, publish, remove_page, require_moderator


def page_revert(*, page, author, revision, signals=()):
    """AUTHOR brings PAGE back to the text of REVISION, as a new revision.

    Same rules and side effects as page_edit (a held revert waits for review too).
    """
    if revision.page_id != page.pk or not revision.is_approved:
        raise ValidationError(_("Only a published revision of this page can be restored."))
    head = head_for(page=page, user=author)
    if head is not None and head.body == revision.body:
        raise ValidationError(_("This revision is already the text of the page."))
    return page_edit(
        page=page,
        author=author,
        body=revision.body,
        summary=_("Reverted to revision %(number)d") % {"number": revision.number},
        base_revision_id=head.pk if head is not None else None,
        signals=signals,
        kind=Revision.Kind.REVERT,
        source=revision,
    )


@dataclass
class MassRevertPlan:
    """What reverting every edit of a member in a group does."""

    revert: list = field(default_factory=list)  # (page, revision to restore)
    delete: list = field(default_factory=list)  # pages only they wrote
    pending: int = 0  # their held edits, rejected

    @property
    def is_empty(self):
        return not (self.revert or self.delete or self.pending)


def member_edits_plan(*, group, member):
    """The MassRevertPlan for MEMBER's edits in GROUP: each page whose latest published
    revisions are theirs goes back to the last revision by someone else. A read, beside
    the action it plans: the moderator's confirmation page shows it, then the action
    carries it out."""
    plan = MassRevertPlan()
    plan.pending = Revision.objects.filter(
        group=group, author=member, status=Revision.Status.PENDING
    ).count()
    page_ids = set(
        Revision.objects.filter(group=group, author=member).values_list("page_id", flat=True)
    )
    if not page_ids:
        return plan
    pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).order_by("title")}
    approved = Revision.objects.filter(
        page_id__in=page_ids, status=Revision.Status.APPROVED
    ).order_by("page_id", "-number")
    latest_by_others = {}
    latest_is_theirs = {}
    for revision in approved.only("pk", "page_id", "number", "author_id"):
        if revision.page_id not in latest_is_theirs:
            latest_is_theirs[revision.page_id] = revision.author_id == member.pk
        if revision.author_id != member.pk and revision.page_id not in latest_by_others:
            latest_by_others[revision.page_id] = revision.pk
    restore = Revision.objects.in_bulk(latest_by_others.values())
    for page_id, page in pages.items():
        if page.current_revision_id is None:
            # Never published: only their held edits, or others' held edits too.
            if not Revision.objects.filter(page=page).exclude(author=member).exists():
                plan.delete.append(page)
            continue
        if not latest_is_theirs.get(page_id):
            continue
        if page_id in latest_by_others:
            plan.revert.append((page, restore[latest_by_others[page_id]]))
        else:
            plan.delete.append(page)
    return plan


@transaction.atomic
def member_edits_revert(*, group, member, moderator):
    """MODERATOR reverts every edit of MEMBER in GROUP's wiki, in one action.

    Their held edits are rejected, with the images only they see
    (`images.member_images_discard`); each page whose latest published revisions are theirs
    gets a new revision restoring the last one by someone else; pages only they wrote are
    deleted. Returns the MassRevertPlan carried out.
    Side effects: on commit, `tasks.revision_published` for each reverted page,
    `tasks.page_removed` for each deleted one, and the deleted images' files removed.
    """
    require_moderator(moderator, group)
    if member == moderator:
        raise ValidationError(_("You cannot mass-revert your own edits."))
    plan = member_edits_plan(group=group, member=member)
    now = timezone.now()
    Revision.objects.filter(group=group, author=member, status=Revision.Status.PENDING).update(
        status=Revision.Status.REJECTED, reviewed_by=moderator, reviewed_at=now
    )
    member_images_discard(group=group, member=member)
    for page, restore in plan.revert:
        page = Page.objects.select_for_update().select_related("group").get(pk=page.pk)
        revision = add_revision(
            page=page,
            author=moderator,
            body=restore.body,
            summary=_("Reverted the edits of %(name)s to revision %(number)d")
            % {"name": member.name, "number": restore.number},
            parent=page.current_revision,
            kind=Revision.Kind.REVERT,
            source=restore,
        )
        publish(page, revision)
    for page in plan.delete:
        remove_page(page)
    # Pages that only held their (now rejected) edits next to others' published ones are
    # left as they are; those with nothing published and nothing waiting go.
    return plan

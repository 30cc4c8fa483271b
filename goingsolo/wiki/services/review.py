"""The moderators' review: edits held for review and why, approving and rejecting them,
and locking a page so that only moderators edit it.

Edits by members below TRUSTED (`groups.trust`), and any edit with a spam signal, are held
(`held_because`): their author and the moderators see them, everyone else sees the page's
last approved revision until a moderator approves.
"""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.groups.trust import record_contribution

from .. import rules
from ..merge import merge3
from ..models import Page, Revision
from ..selectors import approved_root
from .images import images_discard
from .revisions import add_revision, approve_chain, publish, remove_page, require_moderator


class HoldReason(StrEnum):
    """Why an edit was held for review (`Revision.held_because`, shown by `HELD_REASONS`).
    The last three are spam signals the edit form reports (`forms.spam_signals`)."""

    UNTRUSTED = "untrusted"
    TOO_FAST = "too_fast"
    HONEYPOT = "honeypot"
    TIMESTAMP = "timestamp"


def held_because(membership, signals):
    """Why an edit by MEMBERSHIP's member, sent with spam SIGNALS, is held: a list of
    HoldReason values, empty when it publishes at once."""
    reasons = [HoldReason.UNTRUSTED] if rules.edits_need_review(membership) else []
    reasons += [HoldReason(signal) for signal in signals if HoldReason(signal) not in reasons]
    return [str(reason) for reason in reasons]


def _pending_descendants(revision):
    """Pending revisions of the page written on top of REVISION, directly or not."""
    chain = {revision.pk}
    found = []
    for candidate in revision.page.revisions.filter(
        status=Revision.Status.PENDING, number__gt=revision.number
    ).order_by("number"):
        if candidate.parent_id in chain:
            chain.add(candidate.pk)
            found.append(candidate)
    return found


def _locked_pending(revision, moderator):
    """REVISION's page, locked, and REVISION reloaded, once MODERATOR may review it and it
    still waits for review."""
    page = Page.objects.select_for_update().select_related("group").get(pk=revision.page_id)
    require_moderator(moderator, page.group)
    revision = Revision.objects.select_related("page", "parent").get(pk=revision.pk)
    if not revision.is_pending:
        raise ValidationError(_("This edit was already reviewed."))
    return page, revision


@transaction.atomic
def revision_approve(*, revision, moderator):
    """MODERATOR approves the held REVISION (and the held edits it was written on).

    When the page changed since, the edit is merged into the current text (a new
    "merge" revision by the same author); when the merge conflicts, nothing changes and
    a ValidationError says so. Returns the revision now published.
    Side effects: the author's accepted contributions and approvals; on commit,
    `tasks.revision_published`.
    """
    page, revision = _locked_pending(revision, moderator)
    root = approved_root(revision.parent)
    current = page.current_revision
    published = revision
    if current is not None and (root is None or root.pk != current.pk):
        merge = merge3(root.body if root is not None else "", current.body, revision.body)
        if not merge.is_clean:
            raise ValidationError(
                _(
                    "This edit conflicts with changes published since it was written. Reject "
                    "it, or edit the page to bring its changes in by hand."
                )
            )
        approve_chain(revision, reviewer=moderator)
        published = add_revision(
            page=page,
            author=revision.author,
            body=merge.text(),
            summary=revision.summary,
            parent=current,
            kind=Revision.Kind.MERGE,
            source=revision,
        )
        Revision.objects.filter(pk=published.pk).update(
            reviewed_by=moderator, reviewed_at=timezone.now()
        )
    else:
        approve_chain(revision, reviewer=moderator)
    publish(page, published)
    if revision.author_id is not None:
        record_contribution(group_id=page.group_id, user_id=revision.author_id, approved=True)
    return published


@transaction.atomic
def revision_reject(*, revision, moderator):
    """MODERATOR rejects the held REVISION and the held edits written on top of it.

    They stay in the page's history, seen by their author and the moderators. A page that
    never had a published revision and has none left waiting is deleted, and so are the
    images their authors sent with them that nobody else sees (`images.images_discard`).
    Side effects: on commit, `tasks.page_removed` when the page is deleted, and the
    deleted images' files removed from storage.
    """
    page, revision = _locked_pending(revision, moderator)
    rejected = [revision, *_pending_descendants(revision)]
    Revision.objects.filter(pk__in=[r.pk for r in rejected]).update(
        status=Revision.Status.REJECTED, reviewed_by=moderator, reviewed_at=timezone.now()
    )
    images_discard(rejected)
    if (
        page.current_revision_id is None
        and not page.revisions.filter(status=Revision.Status.PENDING).exists()
    ):
        remove_page(page)
    return len(rejected)


@transaction.atomic
def page_lock(*, page, moderator, locked):
    """MODERATOR locks PAGE (only moderators edit it) or unlocks it. No side effects."""
    require_moderator(moderator, page.group)
    page.is_locked = locked
    page.locked_by = moderator if locked else None
    page.locked_at = timezone.now() if locked else None
    page.save(update_fields=["is_locked", "locked_by", "locked_at"])
    return page

"""What the wiki's use cases share: who may write, adding a revision to a page, publishing
it. For the modules of this package; callers outside it use the use cases themselves."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.language import detect_language
from goingsolo.core.markdown import extract_wiki_links
from goingsolo.groups.models import Membership
from goingsolo.groups.rules import UNSET

from .. import rules, tasks
from ..models import Page, PageLink, Revision, title_key
from ..signals import revision_published as published_signal
from .images import images_publish


def membership_of(group, user):
    return Membership.objects.filter(group=group, user=user).first()


def require_member(user, group, membership=UNSET):
    """A PermissionDenied unless USER may edit GROUP's wiki (a member who may post)."""
    if user is None or not rules.can_edit(user, group, membership):
        raise PermissionDenied(_("Only members of this group can edit its wiki."))


def require_edit(user, group, membership, *, page=None):
    """As require_member, and a ValidationError when PAGE is locked to USER."""
    require_member(user, group, membership)
    if page is not None and not rules.can_edit_page(user, page, membership):
        raise ValidationError(
            _(
                "A moderator locked this page: only moderators can edit it now. Your text is "
                "kept below; copy it to keep it, or ask a moderator."
            ),
            code="locked",
        )


def require_moderator(user, group):
    if user is None or not rules.can_moderate(user, group):
        raise PermissionDenied(_("Only the group’s moderators can do this."))


def add_revision(
    *,
    page,
    author,
    body,
    summary,
    parent,
    kind,
    held_because=(),
    source=None,
    at=None,
    language=None,
    **fields,
):
    """Adds a revision to PAGE (locked by the caller); returns it. FIELDS: more columns
    (a rename's titles)."""
    number = page.last_number + 1
    revision = Revision.objects.create(
        page=page,
        group_id=page.group_id,
        number=number,
        parent=parent,
        author=author,
        body=body,
        summary=summary,
        kind=kind,
        source=source,
        language=detect_language(body) if language is None else language,
        created_at=at or timezone.now(),
        size=len(body),
        size_change=len(body) - (len(parent.body) if parent is not None else 0),
        status=Revision.Status.PENDING if held_because else Revision.Status.APPROVED,
        held_because=list(held_because),
        **fields,
    )
    Page.objects.filter(pk=page.pk).update(last_number=number)
    page.last_number = number
    return revision


def approve_chain(revision, *, reviewer):
    """Marks REVISION and the pending revisions it was written on as approved."""
    now = timezone.now()
    while revision is not None and revision.is_pending:
        Revision.objects.filter(pk=revision.pk).update(
            status=Revision.Status.APPROVED, reviewed_by=reviewer, reviewed_at=now
        )
        revision.status = Revision.Status.APPROVED
        revision = revision.parent


def _store_links(page, body):
    keys = {title_key(title) for title in extract_wiki_links(body)}
    keys.discard(page.key)
    PageLink.objects.filter(source=page).exclude(target_key__in=keys).delete()
    existing = set(PageLink.objects.filter(source=page).values_list("target_key", flat=True))
    PageLink.objects.bulk_create(
        [PageLink(source=page, group_id=page.group_id, target_key=key) for key in keys - existing]
    )


def publish(page, revision, at=None):
    """Makes REVISION what everyone sees on PAGE, from AT (now by default).

    Side effects: the page row and its links; the images of its author it shows are
    published (`images.images_publish`); on commit, `tasks.revision_published`
    (watchers' notifications, search index) and `signals.revision_published` (emails).
    """
    revision.published_at = at or timezone.now()
    Revision.objects.filter(pk=revision.pk).update(published_at=revision.published_at)
    page.current_revision = revision
    page.language = revision.language
    page.updated_at = revision.created_at
    Page.objects.filter(pk=page.pk).update(
        current_revision=revision, language=revision.language, updated_at=revision.created_at
    )
    _store_links(page, revision.body)
    images_publish(revision)
    transaction.on_commit(lambda: tasks.revision_published.enqueue(revision_id=revision.pk))
    transaction.on_commit(lambda: published_signal.send(sender=Revision, revision=revision))


def remove_page(page):
    """Deletes PAGE with its revisions. Side effects: on commit, `tasks.page_removed`
    (search index)."""
    page_id = page.pk
    page.delete()
    transaction.on_commit(lambda: tasks.page_removed.enqueue(page_id=page_id))

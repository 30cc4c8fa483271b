"""Every change to a group's wiki. One function per use case, each atomic.

Web views, imports and the demo call these. Side effects are listed in each docstring;
those outside the database run once the transaction commits, through a job
(`tasks.revision_published`: watchers' notifications and the search index;
`tasks.page_removed`: the search index) or a signal (`signals.revision_published`: the
mail app emails the watchers).

How an edit is saved:
1. The editor's *head* is what they see: the last approved revision, or their own edit
   still waiting for review when it was written on top of it (`head_for`).
2. The form carries the revision the editor started from. If it is no longer their head,
   someone saved meanwhile: nothing is saved, a three-way merge is offered and the
   editor's text is kept as a Draft until they save or discard it.
3. Members below TRUSTED, and any edit with a spam signal (a filled honeypot, a form sent
   too fast, a bad timestamp), are held for review; others publish at once.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goingsolo.core.language import detect_language
from goingsolo.core.markdown import extract_wiki_links, render_markdown
from goingsolo.groups.models import Membership
from goingsolo.groups.rules import UNSET
from goingsolo.groups.trust import (
    TRUSTED_AFTER,
    TRUSTED_APPROVALS,
    TRUSTED_CONTRIBUTIONS,
    record_contribution,
)

from . import rules, tasks
from .merge import (
    CONFLICT_END,
    CONFLICT_SEPARATOR,
    CONFLICT_START,
    MergeResult,
    has_conflict_markers,
    merge3,
)
from .models import (
    SUMMARY_MAX_CHARS,
    TITLE_MAX_CHARS,
    Attachment,
    Draft,
    Page,
    PageLink,
    Redirect,
    Revision,
    Watch,
    title_key,
)
from .signals import revision_published as published_signal

SLUG_MAX_CHARS = 70
IMAGE_MAX_SIDE = 2400
THUMBNAIL_MAX_SIDE = 800


def page_max_chars():
    return settings.GOINGSOLO_WIKI_PAGE_MAX_CHARS


class HoldReason(StrEnum):
    """Why an edit was held for review."""

    UNTRUSTED = "untrusted"
    TOO_FAST = "too_fast"
    HONEYPOT = "honeypot"
    TIMESTAMP = "timestamp"


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


# --- Checks ---------------------------------------------------------------------------------


def normalise_text(text):
    """Line endings as "\\n" (browsers send "\\r\\n"), no trailing spaces or blank lines,
    no NUL characters (PostgreSQL cannot store them, and they mean nothing in a page)."""
    text = (text or "").replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def clean_summary(summary):
    return " ".join((summary or "").replace("\x00", "").split())[:SUMMARY_MAX_CHARS]


def clean_title(title):
    title = " ".join((title or "").replace("\x00", "").split())
    if not title:
        raise ValidationError({"title": _("Give the page a title.")})
    if len(title) > TITLE_MAX_CHARS:
        raise ValidationError(
            {
                "title": _("A title has at most %(limit)d characters; this one has %(count)d.")
                % {"limit": TITLE_MAX_CHARS, "count": len(title)}
            }
        )
    if "[" in title or "]" in title or "|" in title:
        # [[Title]] links could not name such a page.
        raise ValidationError({"title": _("A title cannot contain [, ] or |.")})
    return title


def clean_body(body):
    body = normalise_text(body)
    if not body.strip():
        raise ValidationError({"body": _("Write the text of the page.")})
    limit = page_max_chars()
    if len(body) > limit:
        raise ValidationError(
            {
                "body": _(
                    "A page has at most %(limit)s characters; this text has %(count)s. "
                    "Split it into several pages."
                )
                % {
                    "limit": number_format(limit, force_grouping=True),
                    "count": number_format(len(body), force_grouping=True),
                }
            }
        )
    if has_conflict_markers(body):
        raise ValidationError(
            {
                "body": _(
                    "The text still holds conflict markers (lines starting with %(start)s, "
                    "%(middle)s and %(end)s). Keep the lines you want and remove the markers."
                )
                % {"start": CONFLICT_START, "middle": CONFLICT_SEPARATOR, "end": CONFLICT_END}
            }
        )
    return body


def _title_taken_error():
    return ValidationError(
        {
            "title": _(
                "A page with this title already exists in this group (titles ignore capitals). "
                "Choose another title, or edit that page."
            )
        }
    )


def check_title_free(group, title):
    if Page.objects.filter(group=group, key=title_key(title)).exists():
        raise _title_taken_error()


def claim_former_title(*, group, key, page=None, take_over=False):
    """Frees KEY when it is a former title (a Redirect), for PAGE being renamed or, when
    PAGE is None, for a new page.

    A page takes back its own former title freely. Another page's former title is taken
    over only with TAKE_OVER, since links to it and its former address will lead to the
    new holder: without it, a ValidationError (code "former_title") explains, and the form
    offers the choice. Side effects: the redirect is deleted.
    """
    redirect = Redirect.objects.select_related("page").filter(group=group, key=key).first()
    if redirect is None:
        return
    if (page is None or redirect.page_id != page.pk) and not take_over:
        raise ValidationError(
            {
                "title": ValidationError(
                    _(
                        "“%(title)s” is a former title of the page “%(page)s”, and links to it "
                        "lead there. To use it anyway, tick “Take over this title”: links to "
                        "“%(title)s” and its former address will then lead to this page."
                    )
                    % {"title": redirect.title, "page": redirect.page.title},
                    code="former_title",
                )
            }
        )
    redirect.delete()


_EXTERNAL = re.compile(r'(?:href|src)="(https?://[^"]*)"', re.IGNORECASE)


def external_links(body):
    """The http(s) links and images of BODY as the renderer outputs them."""
    return _EXTERNAL.findall(str(render_markdown(body)))


def _check_limits(*, membership, group, user, old_body, new_body):
    limits = rules.limits_for(membership)
    if limits.external_links_per_edit is not None:
        added = Counter(external_links(new_body)) - Counter(external_links(old_body))
        count = sum(added.values())
        if count > limits.external_links_per_edit:
            raise ValidationError(
                {
                    "body": ngettext(
                        "New members can add at most %(limit)d external link per edit; this "
                        "edit adds %(count)d. Remove some, or save them in several edits.",
                        "New members can add at most %(limit)d external links per edit; this "
                        "edit adds %(count)d. Remove some, or save them in several edits.",
                        limits.external_links_per_edit,
                    )
                    % {"limit": limits.external_links_per_edit, "count": count}
                }
            )
    if limits.edits_per_hour is not None:
        since = timezone.now() - timedelta(hours=1)
        recent = Revision.objects.filter(group=group, author=user, created_at__gte=since).count()
        if recent >= limits.edits_per_hour:
            raise ValidationError(
                ngettext(
                    "New members can save at most %(limit)d edit an hour. Your text is kept "
                    "below: save it again a little later.",
                    "New members can save at most %(limit)d edits an hour. Your text is kept "
                    "below: save it again a little later.",
                    limits.edits_per_hour,
                )
                % {"limit": limits.edits_per_hour}
            )


def _membership(group, user):
    return Membership.objects.filter(group=group, user=user).first()


def _require_edit(user, page_or_group, membership):
    group = page_or_group if not isinstance(page_or_group, Page) else page_or_group.group
    if user is None or not rules.can_edit(user, group, membership):
        raise PermissionDenied(_("Only members of this group can edit its wiki."))
    if isinstance(page_or_group, Page) and not rules.can_edit_page(user, page_or_group, membership):
        raise ValidationError(
            _(
                "A moderator locked this page: only moderators can edit it now. Your text is "
                "kept below; copy it to keep it, or ask a moderator."
            ),
            code="locked",
        )


def rename_refusal(user, page, membership=UNSET):
    """Why USER may not rename PAGE, as a message for them, or None when they may.
    (Not being a member at all is a PermissionDenied, raised by _require_rename.)"""
    if not page.is_published:
        return _(
            "This page is waiting for its first review: it can be renamed once a moderator "
            "has published it."
        )
    if not rules.can_edit_page(user, page, membership):
        return _("A moderator locked this page: only moderators can rename it now.")
    if not rules.can_rename_page(user, page, membership):
        return _(
            "Renaming changes a page’s address and what links to it say, so it is for the "
            "members the group trusts and its moderators. A member is trusted after %(days)d "
            "days and %(contributions)d accepted contributions, or %(approvals)d approved by "
            "a moderator. Until then, ask a moderator to rename the page."
        ) % {
            "days": TRUSTED_AFTER.days,
            "contributions": TRUSTED_CONTRIBUTIONS,
            "approvals": TRUSTED_APPROVALS,
        }
    return None


def _require_rename(user, page, membership):
    if user is None or not rules.can_edit(user, page.group, membership):
        raise PermissionDenied(_("Only members of this group can edit its wiki."))
    refusal = rename_refusal(user, page, membership)
    if refusal is not None:
        raise ValidationError(refusal, code="refused")


def _require_moderator(user, group):
    if user is None or not rules.can_moderate(user, group):
        raise PermissionDenied(_("Only the group’s moderators can do this."))


def _held_because(membership, signals):
    reasons = [HoldReason.UNTRUSTED] if rules.edits_need_review(membership) else []
    reasons += [HoldReason(signal) for signal in signals if HoldReason(signal) not in reasons]
    return [str(reason) for reason in reasons]


# --- Reading the state of a page ----------------------------------------------------------------


def _root(revision):
    """The approved revision that REVISION's chain of pending edits starts from."""
    while revision is not None and not revision.is_approved:
        revision = revision.parent
    return revision


def head_for(page, user):
    """The revision USER edits from: their own pending edit when it was written on top of
    the current revision (or the page is not published yet), else the current revision.
    None when there is nothing USER may see."""
    if user is not None and user.is_authenticated:
        own = (
            page.revisions.filter(author=user, status=Revision.Status.PENDING)
            .select_related("parent")
            .order_by("-number")
            .first()
        )
        if own is not None:
            root = _root(own)
            if (root.pk if root is not None else None) == page.current_revision_id:
                return own
    return page.current_revision


# --- Writing revisions ------------------------------------------------------------------------


def _base_slug(title):
    return slugify(title)[:SLUG_MAX_CHARS].strip("-") or "page"


def _unique_slug(group, title, page=None):
    """A free address for TITLE in GROUP: no page's, and no other page's former address,
    which keeps leading to its page. PAGE's own addresses, current and former, are free
    for it."""
    base = _base_slug(title)
    pages = Page.objects.filter(group=group, slug__startswith=base)
    former = Redirect.objects.filter(group=group, slug__startswith=base)
    if page is not None:
        pages = pages.exclude(pk=page.pk)
        former = former.exclude(page=page)
    taken = set(pages.values_list("slug", flat=True)) | set(former.values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _add_revision(
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


def _store_links(page, body):
    keys = {title_key(title) for title in extract_wiki_links(body)}
    keys.discard(page.key)
    PageLink.objects.filter(source=page).exclude(target_key__in=keys).delete()
    existing = set(PageLink.objects.filter(source=page).values_list("target_key", flat=True))
    PageLink.objects.bulk_create(
        [PageLink(source=page, group_id=page.group_id, target_key=key) for key in keys - existing]
    )


def _publish(page, revision, at=None):
    """Makes REVISION what everyone sees on PAGE, from AT (now by default).

    Side effects: the page row and its links; on commit, `tasks.revision_published`
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
    transaction.on_commit(lambda: tasks.revision_published.enqueue(revision_id=revision.pk))
    transaction.on_commit(lambda: published_signal.send(sender=Revision, revision=revision))


def _watch(page, user):
    if user is not None:
        Watch.objects.get_or_create(page=page, user=user)


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
    membership = _membership(group, author)
    _require_edit(author, group, membership)
    title = clean_title(title)
    body = clean_body(body)
    check_title_free(group, title)
    _check_limits(membership=membership, group=group, user=author, old_body="", new_body=body)
    claim_former_title(group=group, key=title_key(title), take_over=take_over_former_title)
    held = _held_because(membership, signals)
    try:
        with transaction.atomic():
            page = Page.objects.create(
                group=group,
                title=title,
                key=title_key(title),
                slug=_unique_slug(group, title),
                created_by=author,
            )
    except IntegrityError:
        raise _title_taken_error() from None
    page.group = group
    revision = _add_revision(
        page=page,
        author=author,
        body=body,
        summary=clean_summary(summary),
        parent=None,
        kind=Revision.Kind.CREATE,
        held_because=held,
    )
    if not held:
        _publish(page, revision)
        record_contribution(group_id=group.pk, user_id=author.pk)
    _watch(page, author)
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
    membership = _membership(page.group, author)
    _require_edit(author, page, membership)
    body = clean_body(body)
    head = head_for(page, author)
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
    _check_limits(
        membership=membership, group=page.group, user=author, old_body=head.body, new_body=body
    )
    held = _held_because(membership, signals)
    revision = _add_revision(
        page=page,
        author=author,
        body=body,
        summary=clean_summary(summary),
        parent=head,
        kind=kind,
        source=source,
        held_because=held,
    )
    if not held:
        # Own edits still pending under this one are part of it now.
        _approve_chain(head, reviewer=None)
        _publish(page, revision)
        record_contribution(group_id=page.group_id, user_id=author.pk)
    Draft.objects.filter(page=page, user=author).delete()
    _watch(page, author)
    return SaveResult(page=page, revision=revision, held_because=held)


def page_revert(*, page, author, revision, signals=()):
    """AUTHOR brings PAGE back to the text of REVISION, as a new revision.

    Same rules and side effects as page_edit (a held revert waits for review too).
    """
    if revision.page_id != page.pk or not revision.is_approved:
        raise ValidationError(_("Only a published revision of this page can be restored."))
    head = head_for(page, author)
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


@transaction.atomic
def page_import(*, group, title, revisions):
    """Adds a page with its history, published, outside the review queue: for imports and
    the demo. REVISIONS: (author, body, summary, created_at) in order. Returns the page.

    Side effects: authors watch the page; on commit, `tasks.revision_published` for the
    last revision (search index; watchers were not watching yet, so nobody is notified).
    """
    title = clean_title(title)
    check_title_free(group, title)
    claim_former_title(group=group, key=title_key(title), take_over=True)
    first_at = revisions[0][3]
    page = Page.objects.create(
        group=group,
        title=title,
        key=title_key(title),
        slug=_unique_slug(group, title),
        created_by=revisions[0][0],
        created_at=first_at,
    )
    page.group = group
    parent = None
    for number, (author, body, summary, created_at) in enumerate(revisions):
        parent = _add_revision(
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
    _publish(page, parent, at=parent.created_at)
    return page


# --- Renaming -----------------------------------------------------------------------------------


@transaction.atomic
def page_rename(*, page, user, title, reason="", take_over_former_title=False):
    """USER gives PAGE a new TITLE, saying why in REASON; returns the rename Revision.

    The address follows the title. The former title and address become a Redirect, so
    `[[Former title]]` links and old addresses keep leading to the page; taking back one
    of the page's own former titles ends that redirect. Another page's former title needs
    TAKE_OVER_FORMER_TITLE (claim_former_title). Only a published page is renamed, by a
    member whose edits publish at once (rules.can_rename_page): a rename is never held.
    Side effects: a "rename" revision with the same text, published; the former title's
    Redirect written, a reclaimed or taken-over one deleted; USER watches the page; on
    commit, `tasks.revision_published` (watchers' notifications, search index under the
    new title) and `signals.revision_published` (emails).
    """
    page = (
        Page.objects.select_for_update(of=("self",))
        .select_related("group", "current_revision")
        .get(pk=page.pk)
    )
    group = page.group
    membership = _membership(group, user)
    _require_rename(user, page, membership)
    current = page.current_revision
    title = clean_title(title)
    if title == page.title:
        raise ValidationError({"title": _("This is already the title of the page.")})
    old_title, old_key, old_slug = page.title, page.key, page.slug
    new_key = title_key(title)
    new_slug = old_slug
    if new_key != old_key:
        if Page.objects.filter(group=group, key=new_key).exclude(pk=page.pk).exists():
            raise ValidationError(
                {
                    "title": _(
                        "Another page of this group already has this title (titles ignore "
                        "capitals). Choose another title."
                    )
                }
            )
        claim_former_title(group=group, key=new_key, page=page, take_over=take_over_former_title)
        new_slug = _unique_slug(group, title, page=page)
        # A former address of this page it gets back is no longer a redirect.
        Redirect.objects.filter(page=page, slug=new_slug).update(slug=None)
    try:
        with transaction.atomic():
            Page.objects.filter(pk=page.pk).update(title=title, key=new_key, slug=new_slug)
    except IntegrityError:  # another page took the title at the same moment
        raise _title_taken_error() from None
    page.title, page.key, page.slug = title, new_key, new_slug
    revision = _add_revision(
        page=page,
        author=user,
        body=current.body,
        summary=clean_summary(reason),
        parent=current,
        kind=Revision.Kind.RENAME,
        language=current.language,
        renamed_from=old_title,
        renamed_to=title,
    )
    if new_key != old_key:
        Redirect.objects.update_or_create(
            group=group,
            key=old_key,
            defaults={
                "page": page,
                "title": old_title,
                "slug": old_slug if old_slug != new_slug else None,
                "revision": revision,
                "created_at": revision.created_at,
            },
        )
    _publish(page, revision)
    _watch(page, user)
    return revision


# --- Review -------------------------------------------------------------------------------------


def _approve_chain(revision, *, reviewer):
    """Marks REVISION and the pending revisions it was written on as approved."""
    now = timezone.now()
    while revision is not None and revision.is_pending:
        Revision.objects.filter(pk=revision.pk).update(
            status=Revision.Status.APPROVED, reviewed_by=reviewer, reviewed_at=now
        )
        revision.status = Revision.Status.APPROVED
        revision = revision.parent


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


@transaction.atomic
def revision_approve(*, revision, moderator):
    """MODERATOR approves the held REVISION (and the held edits it was written on).

    When the page changed since, the edit is merged into the current text (a new
    "merge" revision by the same author); when the merge conflicts, nothing changes and
    a ValidationError says so. Returns the revision now published.
    Side effects: the author's accepted contributions and approvals; on commit,
    `tasks.revision_published`.
    """
    page = Page.objects.select_for_update().select_related("group").get(pk=revision.page_id)
    _require_moderator(moderator, page.group)
    revision = Revision.objects.select_related("parent").get(pk=revision.pk)
    if not revision.is_pending:
        raise ValidationError(_("This edit was already reviewed."))
    root = _root(revision.parent)
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
        _approve_chain(revision, reviewer=moderator)
        published = _add_revision(
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
        _approve_chain(revision, reviewer=moderator)
    _publish(page, published)
    if revision.author_id is not None:
        record_contribution(group_id=page.group_id, user_id=revision.author_id, approved=True)
    return published


@transaction.atomic
def revision_reject(*, revision, moderator):
    """MODERATOR rejects the held REVISION and the held edits written on top of it.

    They stay in the page's history, seen by their author and the moderators. A page that
    never had a published revision and has none left waiting is deleted.
    Side effects: on commit, `tasks.page_removed` when the page is deleted.
    """
    page = Page.objects.select_for_update().select_related("group").get(pk=revision.page_id)
    _require_moderator(moderator, page.group)
    revision = Revision.objects.select_related("page").get(pk=revision.pk)
    if not revision.is_pending:
        raise ValidationError(_("This edit was already reviewed."))
    rejected = [revision, *_pending_descendants(revision)]
    Revision.objects.filter(pk__in=[r.pk for r in rejected]).update(
        status=Revision.Status.REJECTED, reviewed_by=moderator, reviewed_at=timezone.now()
    )
    _delete_if_never_published(page)
    return len(rejected)


def _delete_if_never_published(page):
    if page.current_revision_id is not None:
        return False
    if page.revisions.filter(status=Revision.Status.PENDING).exists():
        return False
    page_id = page.pk
    page.delete()
    transaction.on_commit(lambda: tasks.page_removed.enqueue(page_id=page_id))
    return True


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
    revisions are theirs goes back to the last revision by someone else."""
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

    Their held edits are rejected; each page whose latest published revisions are theirs
    gets a new revision restoring the last one by someone else; pages only they wrote are
    deleted. Returns the MassRevertPlan carried out.
    Side effects: on commit, `tasks.revision_published` for each reverted page and
    `tasks.page_removed` for each deleted one.
    """
    _require_moderator(moderator, group)
    if member == moderator:
        raise ValidationError(_("You cannot mass-revert your own edits."))
    plan = member_edits_plan(group=group, member=member)
    now = timezone.now()
    Revision.objects.filter(group=group, author=member, status=Revision.Status.PENDING).update(
        status=Revision.Status.REJECTED, reviewed_by=moderator, reviewed_at=now
    )
    for page, restore in plan.revert:
        page = Page.objects.select_for_update().select_related("group").get(pk=page.pk)
        revision = _add_revision(
            page=page,
            author=moderator,
            body=restore.body,
            summary=_("Reverted the edits of %(name)s to revision %(number)d")
            % {"name": member.name, "number": restore.number},
            parent=page.current_revision,
            kind=Revision.Kind.REVERT,
            source=restore,
        )
        _publish(page, revision)
    for page in plan.delete:
        page_id = page.pk
        page.delete()
        transaction.on_commit(lambda page_id=page_id: tasks.page_removed.enqueue(page_id=page_id))
    # Pages that only held their (now rejected) edits next to others' published ones are
    # left as they are; those with nothing published and nothing waiting go.
    return plan


# --- Pages: lock, watch, drafts, images --------------------------------------------------------


@transaction.atomic
def page_lock(*, page, moderator, locked):
    """MODERATOR locks PAGE (only moderators edit it) or unlocks it. No side effects."""
    _require_moderator(moderator, page.group)
    page.is_locked = locked
    page.locked_by = moderator if locked else None
    page.locked_at = timezone.now() if locked else None
    page.save(update_fields=["is_locked", "locked_by", "locked_at"])
    return page


@transaction.atomic
def page_watch(*, page, user, watching):
    """USER, a member, starts watching PAGE (notifications of its changes, in the app and
    by email); anyone stops, member or not any more (the link in an email). No side
    effects beyond the Watch row."""
    if watching:
        if not rules.can_edit(user, page.group):
            raise PermissionDenied
        _watch(page, user)
    else:
        Watch.objects.filter(page=page, user=user).delete()


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
    Draft.objects.filter(page=page, user=user).delete()


@transaction.atomic
def attachment_add(*, group, uploader, uploaded_file):
    """UPLOADER adds an image to GROUP's wiki; returns the Attachment.

    The file is read to check it is an image (core.uploads); what is stored are copies
    without metadata: the image (at most IMAGE_MAX_SIDE pixels) and a thumbnail for pages
    to show (THUMBNAIL_MAX_SIDE). Side effects: two files stored.
    """
    from goingsolo.core.uploads import check_upload, make_thumbnail

    if not rules.can_edit(uploader, group):
        raise PermissionDenied(_("Only members of this group can edit its wiki."))
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

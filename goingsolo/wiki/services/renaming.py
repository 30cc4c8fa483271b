"""A page's title and address: renames, and the former titles they leave behind.

The address (slug) is made from the title and follows it. A rename keeps the former title
and address as a `Redirect` to the page, so `[[Former title]]` links and old addresses keep
leading to it; a new page or a rename takes another page's former title only when asked
to (`claim_former_title`). Creating a page (`editing`) uses the same checks.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from goingsolo.groups.rules import UNSET
from goingsolo.groups.trust import TRUSTED_AFTER, TRUSTED_APPROVALS, TRUSTED_CONTRIBUTIONS

from .. import rules
from ..models import Page, Redirect, Revision, title_key
from ..validators import clean_summary, clean_title
from .revisions import add_revision, membership_of, publish, require_member
from .watching import watch

SLUG_MAX_CHARS = 70


def _base_slug(title):
    return slugify(title)[:SLUG_MAX_CHARS].strip("-") or "page"


def unique_slug(group, title, page=None):
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


def title_taken_error():
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
        raise title_taken_error()


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
    require_member(user, page.group, membership)
    refusal = rename_refusal(user, page, membership)
    if refusal is not None:
        raise ValidationError(refusal, code="refused")


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
    membership = membership_of(group, user)
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
        new_slug = unique_slug(group, title, page=page)
        # A former address of this page it gets back is no longer a redirect.
        Redirect.objects.filter(page=page, slug=new_slug).update(slug=None)
    try:
        with transaction.atomic():
            Page.objects.filter(pk=page.pk).update(title=title, key=new_key, slug=new_slug)
    except IntegrityError:  # another page took the title at the same moment
        raise title_taken_error() from None
    page.title, page.key, page.slug = title, new_key, new_slug
    revision = add_revision(
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
    publish(page, revision)
    watch(page, user)
    return revision

"""Reads about a group's wiki that span relations. Each runs a fixed number of queries, but
`approved_root` (and `head_for`, `visible_revision` through it), which follows a member's
chain of held edits one revision at a time: such chains are a few edits long."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from goingsolo.core.markdown import extract_wiki_links, render_markdown, table_of_contents

from .models import Draft, Page, PageLink, Redirect, Revision, Watch, title_key

# A page with at least this many headings gets a table of contents.
TOC_MIN_HEADINGS = 3
RECENT_CHANGES = 50


def page_by_slug(*, group, slug):
    return (
        Page.objects.select_related("current_revision", "current_revision__author", "locked_by")
        .filter(group=group, slug=slug)
        .first()
    )


def page_by_former_slug(*, group, slug):
    """The page whose former address in GROUP was SLUG, or None. A page's own address
    wins: this is asked only when no page has SLUG now."""
    redirect = Redirect.objects.select_related("page").filter(group=group, slug=slug).first()
    return redirect.page if redirect is not None else None


def approved_root(revision):
    """The approved revision that REVISION's chain of pending edits starts from, or None."""
    while revision is not None and not revision.is_approved:
        revision = revision.parent
    return revision


def head_for(*, page, user):
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
            root = approved_root(own)
            if (root.pk if root is not None else None) == page.current_revision_id:
                return own
    return page.current_revision


def visible_revision(*, page, user, is_moderator):
    """What USER sees on PAGE: their own edit waiting for review when it is their head,
    the current revision, or (moderators, for a page not published yet) its latest edit."""
    revision = head_for(page=page, user=user)
    if revision is None and is_moderator:
        revision = (
            page.revisions.filter(status=Revision.Status.PENDING)
            .select_related("author")
            .order_by("-number")
            .first()
        )
    return revision


def link_resolver(group):
    """A wiki_link_url callable for render_markdown: one query for all the links, and one
    more for links to titles no page has now, which may be former titles of a page.

    Links are resolved when shown, never rewritten in the text: old revisions keep what
    their authors wrote, and a link still works after any number of renames."""
    cache = {}

    def prepare(body):
        keys = {title_key(title) for title in extract_wiki_links(body)}
        pages = Page.objects.filter(group=group, key__in=keys, current_revision__isnull=False)
        cache.update({page.key: page.slug for page in pages.only("key", "slug")})
        former = keys - cache.keys()
        if former:
            redirects = Redirect.objects.filter(
                group=group, key__in=former, page__current_revision__isnull=False
            ).values_list("key", "page__slug")
            cache.update(dict(redirects))

    def resolve(title):
        slug = cache.get(title_key(title))
        if slug is not None:
            return reverse("wiki:page", args=[group.slug, slug]), True
        return reverse("wiki:create", args=[group.slug]) + "?" + urlencode({"title": title}), False

    return prepare, resolve


@dataclass
class RenderedPage:
    html: str
    toc: list  # (depth from the top heading level, title, anchor)


def render_page(*, group, body):
    """BODY as HTML with [[links]] resolved (missing pages offer to be created) and, for a
    long page, its table of contents."""
    prepare, resolve = link_resolver(group)
    prepare(body)
    html = render_markdown(body, wiki_link_url=resolve, heading_anchors=True)
    toc = table_of_contents(body)
    if len(toc) < TOC_MIN_HEADINGS:
        return RenderedPage(html=html, toc=[])
    # Depth from the page's top heading level, whichever it is: 0, 1, 2 (deeper as 2).
    top = min(level for level, _title, _anchor in toc)
    return RenderedPage(
        html=html,
        toc=[(min(level - top, 2), title, anchor) for level, title, anchor in toc],
    )


def page_list(*, group, user, is_moderator):
    """The pages of GROUP USER may see, by title: published ones, plus their own (and, for
    moderators, every) page waiting for its first review."""
    visible = Q(current_revision__isnull=False)
    if is_moderator:
        visible |= Q(current_revision__isnull=True)
    elif user.is_authenticated:
        visible |= Q(current_revision__isnull=True, created_by=user)
    return list(
        Page.objects.filter(visible, group=group)
        .select_related("group", "current_revision__author")
        .order_by("key")
    )


def _visible_revisions_q(user, is_moderator):
    if is_moderator:
        return Q()
    q = Q(status=Revision.Status.APPROVED)
    if user.is_authenticated:
        q |= Q(author=user)
    return q


def recent_changes(*, group, user, is_moderator, limit=RECENT_CHANGES):
    return list(
        Revision.objects.filter(_visible_revisions_q(user, is_moderator), group=group)
        .select_related("page__group", "author")
        .order_by("-created_at", "-pk")[:limit]
    )


def history(*, page, user, is_moderator):
    return list(
        page.revisions.filter(_visible_revisions_q(user, is_moderator))
        .select_related("group", "page", "author", "reviewed_by")
        .order_by("-number")
    )


def revision_by_number(*, page, number, user, is_moderator):
    revision = (
        page.revisions.filter(_visible_revisions_q(user, is_moderator), number=number)
        .select_related("author")
        .first()
    )
    return revision


def review_queue(*, group):
    """Held edits of GROUP (of every group when None: the staff's queue), oldest first,
    with what each was written on."""
    pending = Revision.objects.filter(status=Revision.Status.PENDING)
    if group is not None:
        pending = pending.filter(group=group)
    return list(
        pending.select_related("group", "page", "author", "parent").order_by("created_at", "pk")
    )


def pending_count(*, group):
    return Revision.objects.filter(group=group, status=Revision.Status.PENDING).count()


@dataclass
class LinkingPage:
    page: Page
    former_titles: list  # former titles of the target it links by, if any


def former_titles(*, page):
    """PAGE's former titles (Redirect rows), the latest rename first, with who renamed
    it, when and why (the rename revision)."""
    return list(
        Redirect.objects.filter(page=page)
        .select_related("revision__author")
        .order_by("-created_at", "-pk")
    )


def links_here(*, page, former=None):
    """Published pages of the group whose current text links to PAGE, by its title or by
    one of its FORMER titles (Redirect rows; read when None), as LinkingPage rows."""
    if former is None:
        former = former_titles(page=page)
    titles = {redirect.key: redirect.title for redirect in former}
    links = PageLink.objects.filter(
        group_id=page.group_id, target_key__in=[page.key, *titles]
    ).values_list("source_id", "target_key")
    by_former = {}
    for source_id, key in links:
        by_former.setdefault(source_id, [])
        if key in titles:
            by_former[source_id].append(titles[key])
    pages = (
        Page.objects.filter(pk__in=list(by_former), current_revision__isnull=False)
        .exclude(pk=page.pk)
        .select_related("group")
        .order_by("key")
    )
    return [
        LinkingPage(page=linking, former_titles=sorted(by_former[linking.pk])) for linking in pages
    ]


def is_watching(*, page, user):
    return user.is_authenticated and Watch.objects.filter(page=page, user=user).exists()


def draft_of(*, page, user):
    if not user.is_authenticated:
        return None
    return Draft.objects.select_related("base_revision").filter(page=page, user=user).first()


def own_pending(*, page, user):
    """USER's edits of PAGE still waiting for review, newest first."""
    if not user.is_authenticated:
        return []
    return list(
        page.revisions.filter(author=user, status=Revision.Status.PENDING).order_by("-number")
    )


def member_revision_counts(*, group, member):
    return Revision.objects.filter(group=group, author=member).aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(status=Revision.Status.PENDING))
    )

"""Reading a group's wiki: the list of pages, recent changes, a page, its history, old
revisions and diffs, what links to it, its images; and watching a page."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from goingsolo.core.page_cache import kept_for_visitors
from goingsolo.core.storage import private_file_response
from goingsolo.core.validators import query_id
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.rules import Action

from .. import selectors, services
from ..diff import diff_texts
from ..models import Attachment, Revision
from ..rules import can_rename_page, can_see_image, can_see_revision
from .lookup import context, find_revision, page_switch, page_view, visible_revision


@kept_for_visitors
@login_when_needed
def page_list(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    pages = selectors.page_list(
        group=access.group, user=request.user, is_moderator=access.can_moderate
    )
    page_context = context(access, pages=pages, active="pages")
    if access.can_moderate:
        page_context["pending_count"] = selectors.pending_count(group=access.group)
    return render(request, "wiki/page_list.html", page_context)


@login_when_needed
def recent_changes(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    changes = selectors.recent_changes(
        group=access.group, user=request.user, is_moderator=access.can_moderate
    )
    return render(
        request, "wiki/recent_changes.html", context(access, changes=changes, active="changes")
    )


@kept_for_visitors
@page_view(Action.VIEW_CONTENT)
def page_detail(request, access, page):
    revision = visible_revision(request, access, page)
    rendered = selectors.render_page(group=access.group, body=revision.body)
    page_context = context(
        access,
        page=page,
        revision=revision,
        rendered=rendered,
        own_pending=selectors.own_pending(page=page, user=request.user),
        watching=selectors.is_watching(page=page, user=request.user),
        draft=selectors.draft_of(page=page, user=request.user),
        can_edit=access.can_post
        and (not page.is_locked or access.can_moderate)
        and (revision.is_approved or revision.author_id == request.user.pk),
        can_rename=page.is_published
        and access.can_post
        and can_rename_page(request.user, page, access.membership),
    )
    if access.can_moderate:
        page_context["page_pending"] = page.revisions.filter(status=Revision.Status.PENDING).count()
    return render(request, "wiki/page_detail.html", page_context)


@login_when_needed
def image_file(request, slug, attachment_id, name=None, thumbnail=False):
    """An image of the group's wiki, to those who may read the group; an image no
    published revision shows yet, to its uploader and the moderators only (404 for
    others, as for an image that does not exist)."""
    access = group_access(request, slug, Action.VIEW_CONTENT)
    attachment = Attachment.objects.filter(pk=attachment_id, group=access.group).first()
    if attachment is None or not can_see_image(
        request.user, attachment, is_moderator=access.can_moderate
    ):
        raise Http404
    return private_file_response(attachment.thumbnail if thumbnail else attachment.file)


@page_view(Action.VIEW_CONTENT)
def page_history(request, access, page):
    visible_revision(request, access, page)
    revisions = selectors.history(page=page, user=request.user, is_moderator=access.can_moderate)
    return render(request, "wiki/history.html", context(access, page=page, revisions=revisions))


@page_view(Action.VIEW_CONTENT)
def revision_detail(request, access, page, number):
    revision = find_revision(request, access, page, number)
    rendered = selectors.render_page(group=access.group, body=revision.body)
    return render(
        request,
        "wiki/revision_detail.html",
        context(
            access,
            page=page,
            revision=revision,
            rendered=rendered,
            can_revert=access.can_post
            and revision.is_approved
            and revision.pk != page.current_revision_id
            and (not page.is_locked or access.can_moderate),
        ),
    )


@page_view(Action.VIEW_CONTENT)
def revision_diff(request, access, page):
    """The difference between two revisions: ?from=N&to=M (by default, M's parent to M)."""
    new_number = query_id(request.GET.get("to"))
    if new_number is None:
        new_number = page.current_revision.number if page.current_revision else None
    if new_number is None:
        raise Http404
    new = find_revision(request, access, page, new_number)
    old_number = query_id(request.GET.get("from"))
    if old_number is None:
        parent = new.parent
        may_see = parent is not None and can_see_revision(
            request.user, parent, is_moderator=access.can_moderate
        )
        old = parent if may_see else None
    else:
        old = find_revision(request, access, page, old_number)
    diff = diff_texts(old.body if old else "", new.body)
    return render(
        request, "wiki/diff.html", context(access, page=page, old=old, new=new, diff=diff)
    )


@page_view(Action.VIEW_CONTENT)
def links_here(request, access, page):
    visible_revision(request, access, page)
    former = selectors.former_titles(page=page)
    return render(
        request,
        "wiki/links_here.html",
        context(
            access,
            page=page,
            former_titles=former,
            pages=selectors.links_here(page=page, former=former),
        ),
    )


@page_switch(
    Action.POST,
    "watch",
    on=gettext_lazy("You are watching this page: you will hear of its changes."),
    off=gettext_lazy("You no longer watch this page."),
)
def page_watch(request, page, watching):
    services.page_watch(page=page, user=request.user, watching=watching)

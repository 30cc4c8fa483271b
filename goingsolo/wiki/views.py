"""Wiki pages. Thin: each view gets the group with group_access, parses input with a form,
calls a service and renders. Whatever goes wrong on save, the editor's text comes back
in the form.

A page's former address (before a rename) answers with a redirect to the same view of
the page under its current address (`follows_renames`): 302 for reading, 307 for a form
sent from a tab opened before the rename, so the text it carries reaches the page.
Not 301: a former title can be taken back or over later, and browsers keep a 301 for good.
"""

import functools
import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.accounts.models import User
from goingsolo.core.forms import add_service_errors
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.rules import Action

from . import selectors, services
from .diff import diff_texts
from .forms import EditForm, RenameForm, UploadForm, offers_take_over, spam_signals
from .merge import merge3
from .models import Attachment, Revision
from .rules import can_rename_page, can_see_revision


class PageMoved(Exception):
    """The address names a page by a former title's address."""

    def __init__(self, page):
        self.page = page


class HttpResponseTemporaryRedirect(HttpResponseRedirect):
    status_code = 307


def follows_renames(view):
    """Answers a page's former address with a redirect to its current one, the rest of
    the request (view, revision number, query string) unchanged."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PageMoved as moved:
            match = request.resolver_match
            url = reverse(
                f"{match.namespace}:{match.url_name}",
                kwargs={**match.kwargs, "page_slug": moved.page.slug},
            )
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            if request.method in ("GET", "HEAD"):
                return HttpResponseRedirect(url)
            return HttpResponseTemporaryRedirect(url)

    return wrapper


def _page(access, page_slug):
    page = selectors.page_by_slug(group=access.group, slug=page_slug)
    if page is None:
        moved = selectors.page_by_former_slug(group=access.group, slug=page_slug)
        if moved is not None:
            raise PageMoved(moved)
        raise Http404
    page.group = access.group
    return page


def _visible(request, access, page):
    revision = selectors.visible_revision(
        page=page, user=request.user, is_moderator=access.can_moderate
    )
    if revision is None:
        raise Http404
    return revision


def _context(access, **extra):
    return {"group": access.group, "access": access, **extra}


def _conflict_labels(conflict):
    head = conflict.head
    theirs = _("saved by %(name)s (revision %(number)d)") % {
        "name": head.author.name if head.author else _("someone"),
        "number": head.number,
    }
    return theirs, _("your text")


# --- Lists ------------------------------------------------------------------------------------


@login_when_needed
def page_list(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    pages = selectors.page_list(
        group=access.group, user=request.user, is_moderator=access.can_moderate
    )
    context = _context(access, pages=pages, active="pages")
    if access.can_moderate:
        context["pending_count"] = selectors.pending_count(group=access.group)
    return render(request, "wiki/page_list.html", context)


@login_when_needed
def recent_changes(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    changes = selectors.recent_changes(
        group=access.group, user=request.user, is_moderator=access.can_moderate
    )
    return render(
        request, "wiki/recent_changes.html", _context(access, changes=changes, active="changes")
    )


# --- A page -------------------------------------------------------------------------------------


@follows_renames
@login_when_needed
def page_detail(request, slug, page_slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    page = _page(access, page_slug)
    revision = _visible(request, access, page)
    rendered = selectors.render_page(group=access.group, body=revision.body)
    context = _context(
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
        context["page_pending"] = page.revisions.filter(status=Revision.Status.PENDING).count()
    return render(request, "wiki/page_detail.html", context)


def _handle_upload(request, access):
    """Stores the image sent with the edit form; returns the Markdown to add, or None."""
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        messages.error(request, _("Choose an image to add."))
        return None
    try:
        attachment = services.attachment_add(
            group=access.group, uploader=request.user, uploaded_file=upload.cleaned_data["image"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    messages.success(
        request,
        _("The image is added at the end of the text; move it where you want it."),
    )
    attachment.group = access.group
    return (
        f"[![{attachment.name}]({attachment.get_thumbnail_url()})]({attachment.get_absolute_url()})"
    )


def _with_upload(request, access, creating):
    """The form shown again after an image was sent with it: the text kept, the image's
    Markdown added at its end."""
    snippet = _handle_upload(request, access)
    initial = {name: request.POST.get(name, "") for name in ("title", "body", "summary")}
    initial["base_revision"] = request.POST.get("base_revision") or None
    initial["started"] = request.POST.get("started", "")
    if snippet:
        body = initial["body"].replace("\r\n", "\n").rstrip()
        initial["body"] = f"{body}\n\n{snippet}\n" if body else f"{snippet}\n"
    return EditForm(initial=initial, creating=creating)


@login_when_needed
def page_create(request, slug):
    access = group_access(request, slug, Action.POST)
    if request.method == "POST":
        form = EditForm(request.POST, creating=True)
        if request.POST.get("action") == "upload":
            form = _with_upload(request, access, creating=True)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                result = services.page_create(
                    group=access.group,
                    author=request.user,
                    title=data["title"],
                    body=data["body"],
                    summary=data["summary"],
                    signals=form.spam_signals(),
                    take_over_former_title=data["take_over_former_title"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _tell_saved(request, result)
                return redirect(result.page)
    else:
        form = EditForm(initial={"title": request.GET.get("title", "")}, creating=True)
    return render(
        request,
        "wiki/page_edit.html",
        _context(
            access,
            form=form,
            creating=True,
            active="create",
            offer_take_over=offers_take_over(form),
        ),
    )


def _tell_saved(request, result):
    if result.is_held:
        messages.info(
            request,
            _(
                "Saved. A moderator will review your edit before others see it; until "
                "then you see it, and others see the last approved version."
            ),
        )
    else:
        messages.success(request, _("Saved."))


@follows_renames
@login_when_needed
def page_edit(request, slug, page_slug):
    access = group_access(request, slug, Action.POST)
    page = _page(access, page_slug)
    head = services.head_for(page, request.user)
    if head is None:
        raise Http404
    conflict = None
    if request.method == "POST":
        form = EditForm(request.POST)
        if request.POST.get("action") == "upload":
            form = _with_upload(request, access, creating=False)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                result = services.page_edit(
                    page=page,
                    author=request.user,
                    body=data["body"],
                    summary=data["summary"],
                    base_revision_id=data["base_revision"],
                    signals=form.spam_signals(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if result.conflict is None:
                    _tell_saved(request, result)
                    return redirect(page)
                conflict = result.conflict
                form = _merge_form(conflict, data["summary"], request.POST.get("started"))
        if conflict is None and form.is_bound and form.errors:
            # A merge refused (markers left in, say): keep showing both versions.
            draft = selectors.draft_of(page=page, user=request.user)
            if draft is not None:
                conflict = _draft_conflict(draft, head)
    else:
        draft = selectors.draft_of(page=page, user=request.user)
        if draft is not None:
            conflict = _draft_conflict(draft, head)
        if conflict is not None:
            form = _merge_form(conflict, draft.summary, None)
        else:
            initial = {"body": draft.body if draft else head.body, "base_revision": head.pk}
            form = EditForm(initial=initial)
    their_diff = None
    if conflict is not None:
        their_diff = diff_texts(conflict.base.body if conflict.base else "", conflict.head.body)
    return render(
        request,
        "wiki/page_edit.html",
        _context(
            access,
            form=form,
            page=page,
            head=head,
            conflict=conflict,
            their_diff=their_diff,
            draft_exists=selectors.draft_of(page=page, user=request.user) is not None,
            locked=page.is_locked and not access.can_moderate,
        ),
    )


def _draft_conflict(draft, head):
    """The EditConflict to show again for a kept draft, or None when it no longer
    conflicts (the page's text did not change since: the draft is simply reopened)."""
    base = draft.base_revision
    if base is not None and base.body == head.body:
        return None
    return services.EditConflict(
        base=base,
        head=head,
        mine=draft.body,
        merge=merge3(base.body if base is not None else "", head.body, draft.body),
    )


def _merge_form(conflict, summary, started):
    theirs_label, mine_label = _conflict_labels(conflict)
    initial = {
        "body": conflict.merge.text(theirs_label=theirs_label, mine_label=mine_label),
        "summary": summary,
        "base_revision": conflict.head.pk,
    }
    if started:
        initial["started"] = started
    return EditForm(initial=initial)


@follows_renames
@login_when_needed
@require_POST
def draft_discard(request, slug, page_slug):
    access = group_access(request, slug, Action.POST)
    page = _page(access, page_slug)
    services.draft_discard(page=page, user=request.user)
    messages.success(request, _("Your draft is discarded."))
    return redirect(page)


@login_when_needed
def image_file(request, slug, attachment_id, name=None, thumbnail=False):
    """An image of the group's wiki, to those who may read the group."""
    access = group_access(request, slug, Action.VIEW_CONTENT)
    attachment = Attachment.objects.filter(pk=attachment_id, group=access.group).first()
    stored = None
    if attachment is not None:
        stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=mimetypes.guess_type(stored.name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- History ------------------------------------------------------------------------------------


@follows_renames
@login_when_needed
def page_history(request, slug, page_slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    page = _page(access, page_slug)
    _visible(request, access, page)
    revisions = selectors.history(page=page, user=request.user, is_moderator=access.can_moderate)
    return render(request, "wiki/history.html", _context(access, page=page, revisions=revisions))


def _revision(request, access, page, number):
    revision = selectors.revision_by_number(
        page=page, number=number, user=request.user, is_moderator=access.can_moderate
    )
    if revision is None:
        raise Http404
    return revision


@follows_renames
@login_when_needed
def revision_detail(request, slug, page_slug, number):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    page = _page(access, page_slug)
    revision = _revision(request, access, page, number)
    rendered = selectors.render_page(group=access.group, body=revision.body)
    return render(
        request,
        "wiki/revision_detail.html",
        _context(
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


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@follows_renames
@login_when_needed
def revision_diff(request, slug, page_slug):
    """The difference between two revisions: ?from=N&to=M (by default, M's parent to M)."""
    access = group_access(request, slug, Action.VIEW_CONTENT)
    page = _page(access, page_slug)
    new_number = _number(request.GET.get("to"))
    if new_number is None:
        new_number = page.current_revision.number if page.current_revision else None
    if new_number is None:
        raise Http404
    new = _revision(request, access, page, new_number)
    old_number = _number(request.GET.get("from"))
    if old_number is None:
        old = (
            new.parent if new.parent is not None and _may_see(request, access, new.parent) else None
        )
    else:
        old = _revision(request, access, page, old_number)
    diff = diff_texts(old.body if old else "", new.body)
    return render(
        request, "wiki/diff.html", _context(access, page=page, old=old, new=new, diff=diff)
    )


def _may_see(request, access, revision):
    return can_see_revision(request.user, revision, is_moderator=access.can_moderate)


@follows_renames
@login_when_needed
def revision_revert(request, slug, page_slug, number):
    access = group_access(request, slug, Action.POST)
    page = _page(access, page_slug)
    revision = _revision(request, access, page, number)
    if request.method == "POST":
        try:
            result = services.page_revert(
                page=page,
                author=request.user,
                revision=revision,
                signals=spam_signals(request.POST),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(revision)
        _tell_saved(request, result)
        return redirect(page)
    current = page.current_revision
    diff = diff_texts(current.body if current else "", revision.body)
    return render(
        request,
        "wiki/revert_confirm.html",
        _context(access, page=page, revision=revision, diff=diff, form=EditForm()),
    )


@follows_renames
@login_when_needed
def links_here(request, slug, page_slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    page = _page(access, page_slug)
    _visible(request, access, page)
    former = selectors.former_titles(page=page)
    return render(
        request,
        "wiki/links_here.html",
        _context(
            access,
            page=page,
            former_titles=former,
            pages=selectors.links_here(page=page, former=former),
        ),
    )


@follows_renames
@login_when_needed
def page_rename(request, slug, page_slug):
    """The rename form: a new title and a reason. Members who may not rename see why."""
    access = group_access(request, slug, Action.POST)
    page = _page(access, page_slug)
    _visible(request, access, page)
    refused = services.rename_refusal(request.user, page, access.membership)
    if request.method == "POST":
        form = RenameForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            former_title = page.title
            try:
                revision = services.page_rename(
                    page=page,
                    user=request.user,
                    title=data["title"],
                    reason=data["reason"],
                    take_over_former_title=data["take_over_former_title"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Renamed. Links to “%(title)s” and its former address lead to this page now.")
                    % {"title": former_title},
                )
                return redirect(revision.page)
    else:
        form = RenameForm(initial={"title": page.title})
    return render(
        request,
        "wiki/rename.html",
        _context(
            access,
            page=page,
            form=form,
            refused=refused,
            offer_take_over=offers_take_over(form),
        ),
    )


@follows_renames
@login_when_needed
@require_POST
def page_watch(request, slug, page_slug):
    access = group_access(request, slug, Action.POST)
    page = _page(access, page_slug)
    watching = request.POST.get("watch") == "1"
    services.page_watch(page=page, user=request.user, watching=watching)
    if watching:
        messages.success(request, _("You are watching this page: you will hear of its changes."))
    else:
        messages.success(request, _("You no longer watch this page."))
    return redirect(page)


# --- Moderation ---------------------------------------------------------------------------------


@follows_renames
@login_when_needed
@require_POST
def page_lock(request, slug, page_slug):
    access = group_access(request, slug, Action.MODERATE)
    page = _page(access, page_slug)
    locked = request.POST.get("lock") == "1"
    services.page_lock(page=page, moderator=request.user, locked=locked)
    if locked:
        messages.success(request, _("The page is locked: only moderators can edit it."))
    else:
        messages.success(request, _("The page is unlocked: members can edit it again."))
    return redirect(page)


@login_when_needed
def review_queue(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    queue = selectors.review_queue(group=access.group)
    for revision in queue:
        revision.diff = diff_texts(revision.parent.body if revision.parent else "", revision.body)
    return render(request, "wiki/review_queue.html", _context(access, queue=queue, active="review"))


@login_when_needed
@require_POST
def review_decide(request, slug, revision_id, decision):
    access = group_access(request, slug, Action.MODERATE)
    revision = get_object_or_404(
        Revision.objects.select_related("page", "author"), pk=revision_id, group=access.group
    )
    try:
        if decision == "approve":
            services.revision_approve(revision=revision, moderator=request.user)
            messages.success(
                request,
                _("Approved: everyone sees this edit of “%(title)s” now.")
                % {"title": revision.page.title},
            )
        elif decision == "reject":
            services.revision_reject(revision=revision, moderator=request.user)
            messages.success(
                request,
                _("Rejected: this edit of “%(title)s” stays out of the page.")
                % {"title": revision.page.title},
            )
        else:
            return HttpResponseBadRequest()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("wiki:review", access.group.slug)


@login_when_needed
def member_revert(request, slug, user_id):
    """Revert all edits of a member: a page saying what will happen, then the action."""
    access = group_access(request, slug, Action.MODERATE)
    member = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        try:
            plan = services.member_edits_revert(
                group=access.group, member=member, moderator=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("wiki:review", access.group.slug)
        messages.success(
            request,
            _(
                "Done. Pages restored: %(reverted)d; pages removed: %(deleted)d; held edits "
                "rejected: %(pending)d."
            )
            % {
                "reverted": len(plan.revert),
                "deleted": len(plan.delete),
                "pending": plan.pending,
            },
        )
        return redirect("wiki:changes", access.group.slug)
    plan = services.member_edits_plan(group=access.group, member=member)
    return render(
        request,
        "wiki/member_revert.html",
        _context(access, member=member, plan=plan, active="review"),
    )

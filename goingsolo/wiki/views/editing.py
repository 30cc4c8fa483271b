"""Writing the wiki: a new page, an edit (with the merge view when someone saved
meanwhile, and the draft that keeps the editor's text), an image added to the text,
restoring an old revision, renaming a page. Whatever goes wrong on save, the editor's text
comes back in the form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from goingsolo.core.forms import add_service_errors
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.rules import Action

from .. import selectors, services
from ..diff import diff_texts
from ..forms import EditForm, RenameForm, UploadForm, offers_take_over, spam_signals
from ..merge import merge3
from ..validators import normalise_text
from .lookup import context, find_revision, page_action, page_view, tell_refusal, visible_revision


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
        tell_refusal(request, error)
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
        body = normalise_text(initial["body"])
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
            try:
                result = services.page_create(
                    group=access.group, author=request.user, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _tell_saved(request, result)
                return redirect(result.page)
    else:
        form = EditForm(initial={"title": request.GET.get("title", "")}, creating=True)
    return _edit_page(
        request,
        access,
        form,
        creating=True,
        active="create",
        offer_take_over=offers_take_over(form),
    )


def _edit_page(request, access, form, **extra):
    """The edit page (`wiki/page_edit.html`) of a new page or an existing one."""
    return render(request, "wiki/page_edit.html", context(access, form=form, **extra))


@page_view(Action.POST)
def page_edit(request, access, page):
    head = selectors.head_for(page=page, user=request.user)
    if head is None:
        raise Http404
    conflict = None
    if request.method == "POST":
        form = EditForm(request.POST)
        if request.POST.get("action") == "upload":
            form = _with_upload(request, access, creating=False)
        elif form.is_valid():
            try:
                result = services.page_edit(page=page, author=request.user, **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if result.conflict is None:
                    _tell_saved(request, result)
                    return redirect(page)
                conflict = result.conflict
                summary = form.cleaned_data["summary"]
                form = _merge_form(conflict, summary, request.POST.get("started"))
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
    return _edit_page(
        request,
        access,
        form,
        page=page,
        head=head,
        conflict=conflict,
        their_diff=their_diff,
        draft_exists=selectors.draft_of(page=page, user=request.user) is not None,
        locked=page.is_locked and not access.can_moderate,
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
    """The edit form holding the merged text, its conflicts between labelled markers."""
    head = conflict.head
    theirs_label = _("saved by %(name)s (revision %(number)d)") % {
        "name": head.author.name if head.author else _("someone"),
        "number": head.number,
    }
    initial = {
        "body": conflict.merge.text(theirs_label=theirs_label, mine_label=_("your text")),
        "summary": summary,
        "base_revision": head.pk,
    }
    if started:
        initial["started"] = started
    return EditForm(initial=initial)


@page_action(Action.POST)
def draft_discard(request, page):
    services.draft_discard(page=page, user=request.user)
    return _("Your draft is discarded.")


@page_view(Action.POST)
def revision_revert(request, access, page, number):
    revision = find_revision(request, access, page, number)
    if request.method == "POST":
        try:
            result = services.page_revert(
                page=page,
                author=request.user,
                revision=revision,
                signals=spam_signals(request.POST),
            )
        except ValidationError as error:
            tell_refusal(request, error)
            return redirect(revision)
        _tell_saved(request, result)
        return redirect(page)
    current = page.current_revision
    diff = diff_texts(current.body if current else "", revision.body)
    return render(
        request,
        "wiki/revert_confirm.html",
        context(access, page=page, revision=revision, diff=diff, form=EditForm()),
    )


@page_view(Action.POST)
def page_rename(request, access, page):
    """The rename form: a new title and a reason. Members who may not rename see why."""
    visible_revision(request, access, page)
    refused = services.rename_refusal(request.user, page, access.membership)
    if request.method == "POST":
        form = RenameForm(request.POST)
        if form.is_valid():
            former_title = page.title
            try:
                revision = services.page_rename(
                    page=page, user=request.user, **form.service_fields()
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
        context(
            access,
            page=page,
            form=form,
            refused=refused,
            offer_take_over=offers_take_over(form),
        ),
    )

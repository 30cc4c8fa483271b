"""Posts: edit, delete, restore, a post's history, its language, reactions and translation;
its attachments; and the members one may mention while writing one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from goingsolo.core.forms import add_service_errors
from goingsolo.core.storage import private_file_response
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.rules import Action

from .. import mentions, rules, selectors, services
from ..forms import LanguageForm, MentionQueryForm, PostEditForm, ReactionForm
from ..models import Attachment, Reaction
from .common import (
    can_see_held,
    mentions_url,
    post_url,
    translatable,
    translate_post,
    translation_target,
)


def _access_and_post(request, slug, post_id, action):
    """The visitor's access to the group (or the refusal) and the post the URL names; the
    posts of a deleted thread exist for moderators only."""
    access = group_access(request, slug, action)
    post = selectors.post_of(group=access.group, post_id=post_id)
    if post is None or (post.thread.deleted_at is not None and not access.can_moderate):
        raise Http404
    if not can_see_held(access, post.thread) or not can_see_held(access, post):
        raise Http404
    return access, post


def _post_page(request, template, access, post, **context):
    """A page of one post (its form, its history, the reactions to add), under the tabs."""
    return render(
        request,
        template,
        {"group": access.group, "access": access, "thread": post.thread, "post": post, **context},
    )


@login_when_needed
def post_edit(request, slug, post_id):
    access, post = _access_and_post(request, slug, post_id, Action.VIEW_CONTENT)
    if not rules.can_edit_post(request.user, post, access.membership):
        raise PermissionDenied(_("You can only edit your own posts."))
    form = PostEditForm(
        request.POST or None,
        with_title=post.is_opening,
        initial={"title": post.thread.title, "body": post.body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post,
                by=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title") if post.is_opening else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(post_url(post))
    return _post_page(
        request,
        "discussions/post_edit.html",
        access,
        post,
        form=form,
        mentions_url=mentions_url(access.group),
    )


@require_POST
@login_when_needed
def post_delete(request, slug, post_id):
    access, post = _access_and_post(request, slug, post_id, Action.VIEW_CONTENT)
    services.post_delete(post=post, by=request.user)
    if post.is_opening:
        messages.success(request, _("The thread is deleted."))
        if access.can_moderate:
            return redirect(post.thread)
        return redirect(access.group)
    messages.success(request, _("The post is deleted."))
    return redirect(post_url(post))


@require_POST
@login_when_needed
def post_restore(request, slug, post_id):
    _access, post = _access_and_post(request, slug, post_id, Action.MODERATE)
    services.post_restore(post=post, by=request.user)
    messages.success(request, _("The post is restored."))
    return redirect(post_url(post))


@login_when_needed
def post_history(request, slug, post_id):
    access, post = _access_and_post(request, slug, post_id, Action.MODERATE)
    return _post_page(
        request,
        "discussions/post_history.html",
        access,
        post,
        post_url=post_url(post),
        revisions=selectors.post_revisions(post=post),
    )


@require_POST
@login_when_needed
def post_language(request, slug, post_id):
    _access, post = _access_and_post(request, slug, post_id, Action.VIEW_CONTENT)
    form = LanguageForm(request.POST)
    if form.is_valid():
        try:
            services.post_set_language(
                post=post, by=request.user, language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The language of the post is corrected."))
    else:
        messages.error(request, _("Choose one of this site’s languages."))
    return redirect(post_url(post))


@require_http_methods(["GET", "POST"])
@login_when_needed
def post_react(request, slug, post_id):
    """POST adds or removes a reaction; GET offers the reactions to add, on a page of
    their own (what the thread page shows in place with JavaScript).

    With htmx, a POST answers with the post's reactions (`_reactions.html`, the fragment the
    post includes), a refusal in it; without, it redirects back to the post."""
    access, post = _access_and_post(request, slug, post_id, Action.POST)
    if request.method == "GET":
        if post.deleted_at is not None:
            return redirect(post_url(post))
        return _post_page(
            request,
            "discussions/post_react.html",
            access,
            post,
            post_url=post_url(post),
            excerpt=Truncator(strip_tags(post.body_html)).words(40),
            reaction_choices=Reaction.Emoji.choices,
        )
    form = ReactionForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose one of the offered reactions.")
    else:
        emoji = form.cleaned_data["emoji"]
        try:
            if form.cleaned_data["action"] == "remove":
                services.reaction_remove(post=post, user=request.user, emoji=emoji)
            else:
                services.reaction_add(post=post, user=request.user, emoji=emoji)
        except ValidationError as exc:
            error = exc.messages[0]
    if request.htmx:
        selectors.prepare_posts([post], user=request.user, membership=access.membership)
        return render(
            request,
            "discussions/_reactions.html",
            {"group": access.group, "access": access, "post": post, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect(post_url(post))


@require_POST
@login_when_needed
def post_translate(request, slug, post_id):
    """The post in the reader's language. With htmx, the post's text is swapped for its
    translation (or the service's error) in place (`_post_text.html`, the fragment the post
    includes); without, the thread page shows it."""
    access, post = _access_and_post(request, slug, post_id, Action.VIEW_CONTENT)
    target = translation_target()
    if not translatable(post, target):
        raise Http404
    if not request.htmx:
        thread_url = post.thread.get_absolute_url()
        page = selectors.page_of_position(post.position)
        return redirect(f"{thread_url}?page={page}&translate={post.pk}#post-{post.position}")
    translate_post(post, target)
    return render(
        request,
        "discussions/_post_text.html",
        {"group": access.group, "post": post, "translate_to": target},
    )


@login_when_needed
def attachment_file(request, slug, attachment_id, name=None, thumbnail=False):
    """An attachment, to those who may read the group. Documents are downloaded, never
    shown by the browser; images are shown inline."""
    access = group_access(request, slug, Action.VIEW_CONTENT)
    attachment = (
        Attachment.objects.select_related("post__thread")
        .filter(pk=attachment_id, post__group=access.group)
        .first()
    )
    if attachment is None:
        raise Http404
    post = attachment.post
    if (post.deleted_at or post.thread.deleted_at) and not access.can_moderate:
        raise Http404
    if not can_see_held(access, post.thread) or not can_see_held(access, post):
        raise Http404
    if thumbnail:
        return private_file_response(attachment.thumbnail)
    return private_file_response(
        attachment.file,
        content_type=attachment.content_type,
        download_name=None if attachment.is_image else attachment.name,
    )


@login_when_needed
def mention_candidates(request, slug):
    """Members of the group to mention, for the autocomplete: [{"handle", "name"}]."""
    access = group_access(request, slug, Action.POST)
    form = MentionQueryForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    members = mentions.candidates(group=access.group, query=query, exclude=request.user)
    return JsonResponse([{"handle": m.handle, "name": m.name} for m in members], safe=False)

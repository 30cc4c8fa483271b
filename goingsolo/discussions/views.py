"""Discussion pages. Thin: each view gets the group with group_access, parses input with a
form, calls a service and renders or redirects.

Every action is a plain form POST that redirects back to the thread; with htmx, replies
and reactions update the page in place (the same views answer with a fragment).
"""

import mimetypes

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from goingsolo.core import live
from goingsolo.core.forms import add_service_errors
from goingsolo.core.translation import TranslationError, cached_translate, translation_enabled
from goingsolo.groups.access import LoginRequired, group_access, login_when_needed
from goingsolo.groups.rules import Action
from goingsolo.groups.sections import Section
from goingsolo.groups.services import notification_level_set

from . import live as live_channels
from . import mentions, rules, selectors, services
from .forms import (
    ActivityFilterForm,
    LanguageForm,
    MentionQueryForm,
    NotificationLevelForm,
    PollVoteForm,
    PostEditForm,
    ReactionForm,
    ReplyForm,
    SubscriptionForm,
    ThreadFilterForm,
    ThreadForm,
    language_choices,
)
from .models import Attachment, Post, Reaction, ThreadSubscription, Via

# --- Helpers ---------------------------------------------------------------------------------


def _mention_warnings(result):
    """What the author is told about @names that named nobody, or several members."""
    warnings = [
        _("@%(name)s is not a member of this group; nobody was notified.") % {"name": name}
        for name in result.unknown_mentions
    ]
    for name, matches in result.ambiguous_mentions:
        shown = [f"{member.name} (@{member.handle})" for member in matches[:5]]
        if len(matches) > 5:
            shown.append(
                ngettext("%(count)d other", "%(count)d others", len(matches) - 5)
                % {"count": len(matches) - 5}
            )
        warnings.append(
            _(
                "@%(name)s could be %(members)s; nobody was notified. Write the handle of "
                "the one you mean."
            )
            % {"name": name, "members": _join_or(shown)}
        )
    return warnings


def _join_or(items):
    """ "A", "A or B", "A, B or C"."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _warn_about_mentions(request, result):
    for warning in _mention_warnings(result):
        messages.warning(request, warning)


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _thread_or_404(access, thread_id):
    """The group's thread; a deleted thread exists for moderators only."""
    thread = selectors.thread_of(group=access.group, thread_id=thread_id)
    if thread is None or (thread.deleted_at is not None and not access.can_moderate):
        raise Http404
    thread.group = access.group
    return thread


def _post_or_404(access, post_id):
    post = selectors.post_of(group=access.group, post_id=post_id)
    if post is None or (post.thread.deleted_at is not None and not access.can_moderate):
        raise Http404
    return post


def _post_url(post):
    return selectors.post_anchor_url(post.thread.get_absolute_url(), post.position)


def _can_reply(access, thread):
    return access.can_post and (not thread.is_locked or access.can_moderate)


def _translation_target():
    """The reader's language when the instance has a translation service, else None."""
    if not translation_enabled():
        return None
    return (get_language() or "").split("-")[0] or None


def _translatable(post, target):
    return bool(target and post.language and post.language != target and post.deleted_at is None)


def _translate_post(post, target):
    """Sets post.translation_html (rendered and sanitised like any post), or
    post.translation_error (a message for the reader). Side effect: a new translation is
    cached (goingsolo.core.translation)."""
    try:
        text = cached_translate(post.body, source=post.language, target=target, format="text")
    except TranslationError as error:
        post.translation_error = str(error)
    else:
        # The service's answer is an outsider's text: rendered like a post, never trusted.
        post.translation_html = services.render_post_body(post.group, text)


# --- Sections of the group page and the home page ---------------------------------------------


def group_section(request, *, group, access):
    """The thread list on a group's page, with its filters and unread markers."""
    if not access.can_view_content:
        return None
    logged_in = request.user.is_authenticated
    form = ThreadFilterForm(
        request.GET or None, logged_in=logged_in, can_moderate=access.can_moderate
    )
    show = form.value("threads") or ""
    threads = selectors.group_threads(
        group=group,
        user=request.user,
        membership=access.membership,
        show=show,
        language=form.value("language") or "",
    )
    page = Paginator(threads, selectors.THREADS_PER_PAGE).get_page(form.value("page"))
    rows = list(page.object_list)
    if access.membership is not None:
        joined_at = access.membership.joined_at
        selectors.mark_unread(rows, lambda thread: joined_at)
    context = {
        "threads": rows,
        "page": page,
        "filter_form": form,
        "show": show,
        "filtered": bool(show or form.value("language")),
        # Threads started after this render reach the page as a "resync".
        "live_id": live.current_event_id(),
        "level_form": NotificationLevelForm(initial={"level": access.membership.notification_level})
        if access.membership
        else None,
    }
    return Section(template="discussions/_group_section.html", context=context, order=10)


def home_section(request, *, groups):
    """Recent activity across the member's groups."""
    if not request.user.is_authenticated or not groups:
        return None
    form = ActivityFilterForm(request.GET or None)
    # Until the member picks a language here, the feed shows the languages they read.
    chosen = "activity_language" in request.GET
    threads = selectors.activity_of(
        user=request.user,
        language=form.value("activity_language") or "",
        languages=() if chosen else request.user.read_languages,
    )
    page = Paginator(threads, selectors.ACTIVITY_PER_PAGE).get_page(form.value("activity_page"))
    rows = selectors.mark_unread(list(page.object_list), lambda thread: thread.joined_at)
    return Section(
        template="discussions/_home_section.html",
        context={
            "threads": rows,
            "page": page,
            "filter_form": form,
            "reading_languages": [] if chosen else request.user.read_languages,
        },
        order=10,
    )


# --- Threads -----------------------------------------------------------------------------------


@login_when_needed
def thread_create(request, slug):
    access = group_access(request, slug, Action.POST)
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.thread_start(
                group=access.group,
                author=request.user,
                title=data["title"],
                body=data["body"],
                poll=form.poll(),
                attachments=data["attachments"],
                via=Via.WEB,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _warn_about_mentions(request, result)
            messages.success(request, _("Your thread is posted."))
            return redirect(result.post.thread.get_absolute_url())
    return render(
        request,
        "discussions/thread_form.html",
        {
            "group": access.group,
            "access": access,
            "form": form,
            "files_dropped": bool(request.FILES) and form.is_bound,
            "mentions_url": _mentions_url(access.group),
        },
    )


def _mentions_url(group):
    return reverse("discussions:mentions", args=[group.slug])


def _thread_response(request, access, thread, reply_form, page=None):
    data = selectors.thread_page(
        thread=thread,
        group=access.group,
        user=request.user,
        membership=access.membership,
        page=page if page is not None else _int_or_none(request.GET.get("page")),
    )
    translate_to = _translation_target()
    translate_id = _int_or_none(request.GET.get("translate"))
    for post in data.posts:
        if post.pk == translate_id and _translatable(post, translate_to):
            _translate_post(post, translate_to)
    last_shown = data.posts[-1].position if data.posts else 0
    if access.membership is not None and last_shown > (data.last_read_position or 0):
        services.thread_mark_read(thread=thread, user=request.user, position=last_shown)
    poll_form = None
    if data.poll is not None and access.can_post and not data.poll.is_closed:
        poll_form = PollVoteForm(poll=data.poll, options=data.poll_options)
    thread_url = thread.get_absolute_url()
    return render(
        request,
        "discussions/thread_detail.html",
        {
            "group": access.group,
            "access": access,
            "thread": thread,
            "data": data,
            "reply_form": reply_form,
            "can_reply": _can_reply(access, thread),
            "is_last_page": data.page == data.page_count,
            "last_page_url": selectors.post_anchor_url(thread_url, thread.last_position or 1),
            "first_new_url": selectors.post_anchor_url(thread_url, data.first_new_position)
            if data.first_new_position
            else None,
            "poll_form": poll_form,
            "languages": language_choices(),
            "subscription": data.subscription,
            "reaction_choices": Reaction.Emoji.choices,
            "mentions_url": _mentions_url(access.group),
            "translate_to": translate_to,
            # Events published after this render reach the page as a "resync".
            "live_id": live.current_event_id(),
        },
    )


@login_when_needed
def thread_detail(request, slug, thread_id):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    thread = _thread_or_404(access, thread_id)
    initial = {}
    quoted_id = _int_or_none(request.GET.get("quote"))
    if quoted_id is not None and access.can_post:
        quoted = Post.objects.filter(thread=thread, pk=quoted_id, deleted_at__isnull=True).first()
        if quoted is not None:
            initial = {"body": selectors.quote_of(quoted), "quoted_post": quoted.pk}
    page = None
    if initial:
        # The reply form is at the end of the last page.
        page = selectors.page_of_position(thread.last_position or 1)
    return _thread_response(request, access, thread, ReplyForm(initial=initial), page=page)


@require_POST
@login_when_needed
def thread_reply(request, slug, thread_id):
    access = group_access(request, slug, Action.POST)
    thread = _thread_or_404(access, thread_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        quoted = None
        if data["quoted_post"]:
            quoted = Post.objects.filter(
                thread=thread, pk=data["quoted_post"], deleted_at__isnull=True
            ).first()
        try:
            result = services.post_reply(
                thread=thread,
                author=request.user,
                body=data["body"],
                quoted_post=quoted,
                attachments=data["attachments"],
                via=Via.WEB,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            post = result.post
            if request.htmx:
                return _reply_fragment(request, access, thread, result)
            _warn_about_mentions(request, result)
            messages.success(request, _("Your reply is posted."))
            return redirect(_post_url(post))
    if request.htmx:
        response = render(
            request,
            "discussions/_reply_form.html",
            {
                "group": access.group,
                "thread": thread,
                "reply_form": form,
                "page_number": request.POST.get("page", ""),
                "files_dropped": bool(request.FILES),
                "mentions_url": _mentions_url(access.group),
            },
        )
        return reswap(retarget(response, "#reply"), "outerHTML")
    last_page = selectors.page_of_position(thread.last_position or 1)
    return _thread_response(request, access, thread, form, page=last_page)


def _reply_fragment(request, access, thread, result):
    """The new post, appended to the page, with a fresh form and the warnings."""
    post = result.post
    page_number = _int_or_none(request.POST.get("page"))
    if page_number != selectors.page_of_position(post.position):
        # The new post starts a page the reader is not on.
        _warn_about_mentions(request, result)
        return HttpResponseClientRedirect(_post_url(post))
    post = selectors.post_of(group=access.group, post_id=post.pk)
    selectors.prepare_posts([post], user=request.user, membership=access.membership)
    warnings = _mention_warnings(result)
    return render(
        request,
        "discussions/_reply_result.html",
        {
            "group": access.group,
            "access": access,
            "thread": thread,
            "post": post,
            "reply_form": ReplyForm(),
            "page_number": page_number,
            "warnings": warnings,
            "languages": language_choices(),
            "can_reply": _can_reply(access, thread),
            "mentions_url": _mentions_url(access.group),
            "translate_to": _translation_target(),
        },
    )


@require_POST
@login_when_needed
def poll_vote(request, slug, thread_id):
    access = group_access(request, slug, Action.POST)
    thread = _thread_or_404(access, thread_id)
    poll = selectors.poll_of(thread)
    if poll is None:
        raise Http404
    form = PollVoteForm(request.POST, poll=poll)
    if form.is_valid():
        try:
            services.poll_vote(poll=poll, user=request.user, option_ids=form.option_ids())
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your vote is counted."))
    else:
        messages.error(request, _("Choose an option."))
    return redirect(f"{thread.get_absolute_url()}#poll")


@require_POST
@login_when_needed
def thread_subscription(request, slug, thread_id):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    thread = _thread_or_404(access, thread_id)
    if not request.user.is_authenticated:
        return redirect_to_login(thread.get_absolute_url())
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        state = form.state_value()
        services.thread_subscribe(thread=thread, user=request.user, state=state)
        messages.success(
            request,
            {
                ThreadSubscription.State.FOLLOWING: _(
                    "You follow this thread: you hear about every reply."
                ),
                ThreadSubscription.State.MUTED: _(
                    "You muted this thread: you hear nothing more from it."
                ),
                None: _("This thread follows your setting for the group again."),
            }[state],
        )
    return redirect(thread)


MODERATION = {
    "pin": lambda thread, by: services.thread_set_pinned(thread=thread, by=by, pinned=True),
    "unpin": lambda thread, by: services.thread_set_pinned(thread=thread, by=by, pinned=False),
    "announce": lambda thread, by: services.thread_announce(thread=thread, by=by),
    "lock": lambda thread, by: services.thread_set_locked(thread=thread, by=by, locked=True),
    "unlock": lambda thread, by: services.thread_set_locked(thread=thread, by=by, locked=False),
}


def _moderation_message(action):
    return {
        "pin": _("The thread is pinned."),
        "unpin": _("The thread is no longer pinned."),
        "announce": _("The thread is an announcement."),
        "lock": _("The thread is closed to new replies."),
        "unlock": _("The thread is open to replies again."),
    }[action]


@require_POST
@login_when_needed
def thread_moderate(request, slug, thread_id, action):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    thread = _thread_or_404(access, thread_id)
    MODERATION[action](thread, request.user)
    messages.success(request, _moderation_message(action))
    return redirect(thread)


# --- Posts -------------------------------------------------------------------------------------


@login_when_needed
def post_edit(request, slug, post_id):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    post = _post_or_404(access, post_id)
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
            return redirect(_post_url(post))
    return render(
        request,
        "discussions/post_edit.html",
        {
            "group": access.group,
            "access": access,
            "thread": post.thread,
            "post": post,
            "form": form,
            "mentions_url": _mentions_url(access.group),
        },
    )


@require_POST
@login_when_needed
def post_delete(request, slug, post_id):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    post = _post_or_404(access, post_id)
    services.post_delete(post=post, by=request.user)
    if post.is_opening:
        messages.success(request, _("The thread is deleted."))
        if access.can_moderate:
            return redirect(post.thread)
        return redirect(access.group)
    messages.success(request, _("The post is deleted."))
    return redirect(_post_url(post))


@require_POST
@login_when_needed
def post_restore(request, slug, post_id):
    access = group_access(request, slug, Action.MODERATE)
    post = _post_or_404(access, post_id)
    services.post_restore(post=post, by=request.user)
    messages.success(request, _("The post is restored."))
    return redirect(_post_url(post))


@login_when_needed
def post_history(request, slug, post_id):
    access = group_access(request, slug, Action.MODERATE)
    post = _post_or_404(access, post_id)
    return render(
        request,
        "discussions/post_history.html",
        {
            "group": access.group,
            "access": access,
            "thread": post.thread,
            "post": post,
            "post_url": _post_url(post),
            "revisions": selectors.post_revisions(post=post),
        },
    )


@require_POST
@login_when_needed
def post_language(request, slug, post_id):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    post = _post_or_404(access, post_id)
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
    return redirect(_post_url(post))


@require_http_methods(["GET", "POST"])
@login_when_needed
def post_react(request, slug, post_id):
    """POST adds or removes a reaction; GET offers the reactions to add, on a page of
    their own (what the thread page shows in place with JavaScript)."""
    access = group_access(request, slug, Action.POST)
    post = _post_or_404(access, post_id)
    if request.method == "GET":
        if post.deleted_at is not None:
            return redirect(_post_url(post))
        return render(
            request,
            "discussions/post_react.html",
            {
                "group": access.group,
                "access": access,
                "thread": post.thread,
                "post": post,
                "post_url": _post_url(post),
                "excerpt": Truncator(strip_tags(post.body_html)).words(40),
                "reaction_choices": Reaction.Emoji.choices,
            },
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
            {
                "group": access.group,
                "access": access,
                "post": post,
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(_post_url(post))


@require_POST
@login_when_needed
def post_translate(request, slug, post_id):
    """The post in the reader's language. With htmx, the post's text is swapped for its
    translation (or the service's error) in place; without, the thread page shows it."""
    access = group_access(request, slug, Action.VIEW_CONTENT)
    post = _post_or_404(access, post_id)
    target = _translation_target()
    if not _translatable(post, target):
        raise Http404
    if not request.htmx:
        thread_url = post.thread.get_absolute_url()
        page = selectors.page_of_position(post.position)
        return redirect(f"{thread_url}?page={page}&translate={post.pk}#post-{post.position}")
    _translate_post(post, target)
    return render(
        request,
        "discussions/_post_text.html",
        {"group": access.group, "post": post, "translate_to": target},
    )


# --- Live updates -----------------------------------------------------------------------------


@login_when_needed
def post_fragment(request, slug, thread_id, position):
    """One post as the thread page shows it, for pages that hear of it live."""
    access = group_access(request, slug, Action.VIEW_CONTENT)
    thread = _thread_or_404(access, thread_id)
    post = (
        Post.objects.filter(thread=thread, position=position)
        .select_related("author", "quoted_post__author")
        .prefetch_related("attachments")
        .first()
    )
    if post is None:
        raise Http404
    post.group, post.thread = access.group, thread
    selectors.prepare_posts([post], user=request.user, membership=access.membership)
    return render(
        request,
        "discussions/_post.html",
        {
            "group": access.group,
            "access": access,
            "thread": thread,
            "post": post,
            "can_reply": _can_reply(access, thread),
            "languages": language_choices(),
            "translate_to": _translation_target(),
        },
    )


def _listener(request, slug, thread_id=None):
    """(group, thread) the visitor may hear of, else None: the same answer for a group or
    thread that does not exist and one they may not read."""
    try:
        access = group_access(request, slug, Action.VIEW_CONTENT)
        thread = _thread_or_404(access, thread_id) if thread_id is not None else None
    except (Http404, PermissionDenied, LoginRequired):
        return None
    return access.group, thread


def _still_reader(group):
    def allowed(request):
        return rules.can_read(request.user, group)

    return allowed


async def thread_events(request, slug, thread_id):
    """The thread's new posts, as server-sent events."""
    found = await sync_to_async(_listener)(request, slug, thread_id)
    if found is None:
        raise Http404
    group, thread = found
    return await live.sse_response(
        request, [live_channels.thread_channel(thread.pk)], authorize=_still_reader(group)
    )


async def group_events(request, slug):
    """The group's new threads, as server-sent events."""
    found = await sync_to_async(_listener)(request, slug)
    if found is None:
        raise Http404
    group, _thread = found
    return await live.sse_response(
        request, [live_channels.group_channel(group.pk)], authorize=_still_reader(group)
    )


# --- Files, mentions, notification level ---------------------------------------------------------


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
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404
    content_type = attachment.content_type
    if thumbnail:
        content_type = mimetypes.guess_type(stored.name)[0] or "image/jpeg"
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_when_needed
def mention_candidates(request, slug):
    """Members of the group to mention, for the autocomplete: [{"handle", "name"}]."""
    access = group_access(request, slug, Action.POST)
    form = MentionQueryForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    members = mentions.candidates(group=access.group, query=query, exclude=request.user)
    return JsonResponse([{"handle": m.handle, "name": m.name} for m in members], safe=False)


@require_POST
@login_when_needed
def notification_level(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    if not request.user.is_authenticated:
        return redirect_to_login(access.group.get_absolute_url())
    if access.membership is None:
        raise PermissionDenied(_("Only members choose what they hear about."))
    form = NotificationLevelForm(request.POST)
    if form.is_valid():
        notification_level_set(membership=access.membership, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification setting for this group is saved."))
    return redirect(f"{access.group.get_absolute_url()}#discussions")

"""Threads: start one, read it, reply, vote in its poll, follow or mute it, moderate it; and
what a member hears about the group's threads (their notification level)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from goingsolo.core import live, rate_limits
from goingsolo.core.forms import add_service_errors
from goingsolo.core.page_cache import kept_for_visitors
from goingsolo.core.validators import query_id
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.rules import Action
from goingsolo.groups.services import notification_level_set

from .. import selectors, services
from ..forms import (
    NotificationLevelForm,
    PollVoteForm,
    ReplyForm,
    SubscriptionForm,
    ThreadForm,
    language_choices,
)
from ..models import Post, Reaction, ThreadSubscription, Via
from .common import (
    can_reply,
    mentions_url,
    post_context,
    post_url,
    posting_limit,
    thread_or_404,
    translatable,
    translate_post,
    translation_target,
)


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
    """The warnings as messages, for the page the author is sent to next."""
    for warning in _mention_warnings(result):
        messages.warning(request, warning)


@login_when_needed
def thread_create(request, slug):
    access = group_access(request, slug, Action.POST)
    form = ThreadForm(request.POST or None, request.FILES or None)
    limit = posting_limit(access)
    posting = request.method == "POST" and form.is_valid()
    wait = rate_limits.hit_request(request, limit) if posting else None
    if wait:
        form.add_error(None, rate_limits.wait_message(wait))
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
                spam_signals=form.spam_signals(),
            )
        except ValidationError as error:
            rate_limits.give_back(request, limit)
            add_service_errors(form, error)
        else:
            _warn_about_mentions(request, result)
            if result.held:
                messages.info(
                    request,
                    _(
                        "Your thread waits for a moderator’s approval. You see it; others "
                        "will once it is approved."
                    ),
                )
            else:
                messages.success(request, _("Your thread is posted."))
            return redirect(result.post.thread.get_absolute_url())
    response = render(
        request,
        "discussions/thread_form.html",
        {
            "group": access.group,
            "access": access,
            "form": form,
            "files_dropped": bool(request.FILES) and form.is_bound,
            "mentions_url": mentions_url(access.group),
        },
    )
    # Refused for speed: the form comes back as it was sent, with the message, as a 429.
    return rate_limits.with_retry_after(response, wait) if wait else response


def _post_item_key(post, access, data, can_reply, translate_to):
    """The key of a post's whole item on the thread page, kept as one fragment
    (`thread_detail.html`): the keys of the item's two inner fragments (`_post.html`) and
    what the template adds to them. None for the opening post of a thread with a poll,
    which shows the reader's own vote between the two."""
    if post.is_opening and data.poll is not None:
        return None
    return (
        post.text_key,
        post.actions_key,
        access.can_moderate,
        access.can_post,
        can_reply,
        translate_to,
        post.translation_html,
        post.translation_error,
    )


def _thread_response(request, access, thread, reply_form=None, page=None, quote=None):
    """The thread page. REPLY_FORM: the form sent with its errors; else a new one, made
    only for the last page, which shows it (QUOTE: its text, {"body", "quoted_post"})."""
    data = selectors.thread_page(
        thread=thread,
        group=access.group,
        user=request.user,
        membership=access.membership,
        page=page if page is not None else query_id(request.GET.get("page")),
    )
    translate_to = translation_target()
    translate_id = query_id(request.GET.get("translate"))
    for post in data.posts:
        if post.pk == translate_id and translatable(post, translate_to):
            translate_post(post, translate_to)
    last_shown = data.posts[-1].position if data.posts else 0
    if access.membership is not None and last_shown > (data.last_read_position or 0):
        services.thread_mark_read(thread=thread, user=request.user, position=last_shown)
    reply_allowed = can_reply(access, thread)
    for post in data.posts:
        post.item_key = _post_item_key(post, access, data, reply_allowed, translate_to)
    # The whole list is kept too when each of its items is: what it shows is theirs.
    item_keys = tuple(post.item_key for post in data.posts)
    posts_key = item_keys if item_keys and None not in item_keys else None
    is_last_page = data.page == data.page_count
    if reply_form is None and is_last_page and reply_allowed:
        reply_form = ReplyForm(initial=quote or {})
    poll_form = None
    if data.poll is not None and access.can_post and not data.poll.is_closed:
        poll_form = PollVoteForm(poll=data.poll, options=data.poll_options)
    thread_url = thread.get_absolute_url()
    first_new_url = (
        selectors.post_anchor_url(thread_url, data.first_new_position)
        if data.first_new_position
        else None
    )
    # Every value the header of thread_detail.html reads: the key of its kept fragment.
    header_key = (
        thread.pk,
        thread.title,
        thread.is_announcement,
        thread.is_pinned,
        thread.is_locked,
        thread.is_held,
        thread.deleted_at,
        access.group.slug,
        access.group.name,
        data.new_count,
        first_new_url,
        request.user.is_authenticated,
        data.subscription,
        access.can_moderate,
        access.can_administer,
    )
    return render(
        request,
        "discussions/thread_detail.html",
        {
            "group": access.group,
            "access": access,
            "thread": thread,
            "data": data,
            "posts_key": posts_key,
            "reply_form": reply_form,
            "can_reply": reply_allowed,
            "is_last_page": is_last_page,
            "last_page_url": selectors.post_anchor_url(thread_url, thread.last_position or 1),
            "first_new_url": first_new_url,
            "header_key": header_key,
            "poll_form": poll_form,
            "languages": language_choices(),
            "subscription": data.subscription,
            "reaction_choices": Reaction.Emoji.choices,
            "mentions_url": mentions_url(access.group),
            "translate_to": translate_to,
            # Events published after this render reach the page as a "resync".
            "live_id": live.current_event_id(),
        },
    )


@kept_for_visitors
@login_when_needed
def thread_detail(request, slug, thread_id):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    thread = thread_or_404(access, thread_id)
    initial = {}
    quoted_id = query_id(request.GET.get("quote"))
    if quoted_id is not None and access.can_post:
        quoted = Post.objects.filter(
            thread=thread, pk=quoted_id, deleted_at__isnull=True, is_held=False
        ).first()
        if quoted is not None:
            initial = {"body": selectors.quote_of(quoted), "quoted_post": quoted.pk}
    page = None
    if initial:
        # The reply form is at the end of the last page.
        page = selectors.page_of_position(thread.last_position or 1)
    return _thread_response(request, access, thread, page=page, quote=initial)


@require_POST
@login_when_needed
def thread_reply(request, slug, thread_id):
    """Without htmx: redirects to the new post, or shows the thread's last page with the
    form's errors. With htmx: the new post, a fresh form and the warnings
    (`_reply_result.html`), or the form with its errors in place (`_reply_form.html`)."""
    access = group_access(request, slug, Action.POST)
    thread = thread_or_404(access, thread_id)
    form = ReplyForm(request.POST, request.FILES)
    limit = posting_limit(access)
    wait = rate_limits.hit_request(request, limit) if form.is_valid() else None
    if wait:
        # Refused for speed: the form comes back as it was sent, with the message, as a 429.
        form.add_error(None, rate_limits.wait_message(wait))
    if form.is_valid():
        data = form.cleaned_data
        quoted = None
        if data["quoted_post"]:
            quoted = Post.objects.filter(
                thread=thread, pk=data["quoted_post"], deleted_at__isnull=True, is_held=False
            ).first()
        try:
            result = services.post_reply(
                thread=thread,
                author=request.user,
                body=data["body"],
                quoted_post=quoted,
                attachments=data["attachments"],
                via=Via.WEB,
                spam_signals=form.spam_signals(),
            )
        except ValidationError as error:
            rate_limits.give_back(request, limit)
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _reply_fragment(request, access, thread, result)
            _warn_about_mentions(request, result)
            if result.held:
                messages.info(
                    request,
                    _(
                        "Your reply waits for a moderator’s approval. You see it; others "
                        "will once it is approved."
                    ),
                )
            else:
                messages.success(request, _("Your reply is posted."))
            return redirect(post_url(result.post))
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
                "mentions_url": mentions_url(access.group),
            },
        )
        # The form asks for the new post at the end of the list; its errors replace the form.
        response = reswap(retarget(response, "#reply"), "outerHTML")
    else:
        last_page = selectors.page_of_position(thread.last_position or 1)
        response = _thread_response(request, access, thread, form, page=last_page)
    return rate_limits.with_retry_after(response, wait) if wait else response


def _reply_fragment(request, access, thread, result):
    """The new post, appended to the page, with a fresh form and the warnings."""
    post = result.post
    page_number = query_id(request.POST.get("page"))
    if page_number != selectors.page_of_position(post.position):
        # The new post starts a page the reader is not on: that page shows the warnings.
        _warn_about_mentions(request, result)
        return HttpResponseClientRedirect(post_url(post))
    post = selectors.post_of(group=access.group, post_id=post.pk)
    selectors.prepare_posts([post], user=request.user, membership=access.membership)
    return render(
        request,
        "discussions/_reply_result.html",
        {
            **post_context(access, thread, post),
            "reply_form": ReplyForm(),
            "page_number": page_number,
            "warnings": _mention_warnings(result),
            "mentions_url": mentions_url(access.group),
        },
    )


@require_POST
@login_when_needed
def poll_vote(request, slug, thread_id):
    access = group_access(request, slug, Action.POST)
    thread = thread_or_404(access, thread_id)
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
    thread = thread_or_404(access, thread_id)
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
    # Every one of these needs moderating at least (pinning, administering: the service
    # says): an anonymous visitor is sent to log in, a reader gets 403.
    access = group_access(request, slug, Action.MODERATE)
    thread = thread_or_404(access, thread_id)
    MODERATION[action](thread, request.user)
    messages.success(request, _moderation_message(action))
    return redirect(thread)

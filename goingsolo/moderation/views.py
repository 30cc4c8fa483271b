"""The review queue of a group, its decisions, the audit log, and flagging."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from goingsolo.accounts.models import User
from goingsolo.core.forms import add_service_errors
from goingsolo.discussions.models import Post
from goingsolo.groups import rules
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.models import JoinRequest
from goingsolo.groups.rules import Action
from goingsolo.mail.models import InboundMessage
from goingsolo.wiki.diff import diff_texts
from goingsolo.wiki.models import Revision

from . import selectors, services, targets
from .forms import (
    FlagForm,
    QueueFilterForm,
    ReasonForm,
    StaffLogFilterForm,
    StaffQueueFilterForm,
)
from .models import Flag, LogEntry, TargetKind


def _back(request, access):
    """Back where the decision was taken: the staff's queue (its filters kept) when the
    form says so, else the group's queue."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("moderation:queue", access.group.slug)


def _reason(request):
    """The moderator's "why" from the POST, for the log and the member ("" when none)."""
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


def _refused(request, error):
    messages.error(request, " ".join(error.messages))


def _with_diffs(data):
    for revision in data.revisions:
        revision.diff = diff_texts(revision.parent.body if revision.parent else "", revision.body)
    return data


@login_when_needed
def queue(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    filters = QueueFilterForm(request.GET, with_requests=access.can_administer)
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    data = selectors.review_queue(
        group=access.group, with_join_requests=access.can_administer, kind=kind
    )
    # The members each item concerns, and which of them this moderator may act on.
    selectors.set_flag_members(data.flags)
    actionable = selectors.members_to_act_on(
        group=access.group,
        actor_membership=access.membership,
        user_ids=[p.author_id for p in data.held_posts]
        + [f.member_id for f in data.flags]
        + [r.author_id for r in data.revisions],
    )
    return render(
        request,
        "moderation/queue.html",
        {
            "group": access.group,
            "access": access,
            "queue": _with_diffs(data),
            "actionable": actionable,
            "filters": filters,
            "next": request.get_full_path(),
            "active": "review",
        },
    )


@login_when_needed
def log(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    return render(
        request,
        "moderation/log.html",
        {"group": access.group, "access": access, "entries": selectors.log_of(group=access.group)},
    )


def _require_instance_admin(request):
    """The staff's pages are not there for anyone else (404, as an unknown address)."""
    if not rules.is_instance_admin(request.user):
        raise Http404


def staff_queue(request):
    """Every group's queue in one page, for the instance admins; filters by kind and group."""
    _require_instance_admin(request)
    groups = selectors.groups_for_filter()
    filters = StaffQueueFilterForm(request.GET, groups=groups)
    kind, group = "", None
    if filters.is_valid():
        kind, group = filters.cleaned_data["kind"], filters.cleaned_data["group"]
    data = selectors.review_queue(group=group, with_join_requests=True, kind=kind)
    return render(
        request,
        "moderation/staff_queue.html",
        {"queue": _with_diffs(data), "filters": filters, "next": request.get_full_path()},
    )


def staff_log(request):
    """What moderators did in every group, newest first, for the instance admins."""
    _require_instance_admin(request)
    groups = selectors.groups_for_filter()
    filters = StaffLogFilterForm(request.GET, groups=groups)
    group = filters.cleaned_data["group"] if filters.is_valid() else None
    return render(
        request,
        "moderation/staff_log.html",
        {"entries": selectors.log_of(group=group), "filters": filters},
    )


def _decide(request, access, decisions, decision, target):
    """Runs DECISIONS[DECISION] (a service call and what it did) on TARGET with the
    moderator's reason, tells the moderator, and goes back to the queue."""
    if decision not in decisions:
        return HttpResponseBadRequest()
    act, done = decisions[decision]
    try:
        act(target, request.user, _reason(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return _back(request, access)


# What a moderator may decide about a post, and what it did.
POST_DECISIONS = {
    "approve": (
        lambda post, by, reason: services.held_post_approve(post=post, by=by),
        gettext_lazy("Approved: everyone sees the post now."),
    ),
    "reject": (
        lambda post, by, reason: services.post_hide(
            post=post, by=by, reason=reason, action=LogEntry.Action.REJECT
        ),
        gettext_lazy("Rejected: the post stays hidden."),
    ),
    "hide": (
        lambda post, by, reason: services.post_hide(post=post, by=by, reason=reason),
        gettext_lazy("Hidden: only moderators see the post now."),
    ),
}
FLAG_DECISIONS = {
    "dismiss": (
        lambda flag, by, reason: services.flag_dismiss(flag=flag, by=by),
        gettext_lazy("Dismissed: nothing was changed."),
    ),
    "hide": (
        lambda flag, by, reason: services.flag_hide_target(flag=flag, by=by, reason=reason),
        gettext_lazy("Hidden: only moderators see the post now."),
    ),
}


@require_POST
@login_when_needed
def post_decide(request, slug, post_id, decision):
    access = group_access(request, slug, Action.MODERATE)
    post = get_object_or_404(
        Post.objects.select_related("thread", "author", "group"), pk=post_id, group=access.group
    )
    return _decide(request, access, POST_DECISIONS, decision, post)


@require_POST
@login_when_needed
def revision_decide(request, slug, revision_id, decision):
    access = group_access(request, slug, Action.MODERATE)
    revision = get_object_or_404(
        Revision.objects.select_related("page", "author", "group"),
        pk=revision_id,
        group=access.group,
    )
    if decision not in ("approve", "reject"):
        return HttpResponseBadRequest()
    try:
        services.revision_decide(revision=revision, by=request.user, approve=decision == "approve")
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Approved: everyone sees this edit now.")
            if decision == "approve"
            else _("Rejected: this edit stays out of the page."),
        )
    return _back(request, access)


@require_POST
@login_when_needed
def flag_decide(request, slug, flag_id, decision):
    access = group_access(request, slug, Action.MODERATE)
    flag = get_object_or_404(Flag.objects.select_related("group"), pk=flag_id, group=access.group)
    return _decide(request, access, FLAG_DECISIONS, decision, flag)


@require_POST
@login_when_needed
def member_warn(request, slug, user_id):
    access = group_access(request, slug, Action.MODERATE)
    member = get_object_or_404(User, pk=user_id, memberships__group=access.group)
    try:
        services.member_warn(
            group=access.group, member=member, by=request.user, reason=_reason(request)
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s is warned by email.") % {"name": member.name})
    return _back(request, access)


# What a moderator may decide about a held email, or an admin about a request to join.
EMAIL_DECISIONS = {
    "approve": (
        lambda message, by, reason: services.held_email_decide(
            message=message, by=by, approve=True
        ),
        gettext_lazy("Approved: the message is posted."),
    ),
    "reject": (
        lambda message, by, reason: services.held_email_decide(
            message=message, by=by, approve=False, reason=reason
        ),
        gettext_lazy("Rejected: nothing was posted."),
    ),
}
REQUEST_DECISIONS = {
    "approve": (
        lambda join_request, by, reason: services.join_request_decide(
            join_request=join_request, by=by, approve=True
        ),
        gettext_lazy("Approved: a new member joined the group."),
    ),
    "refuse": (
        lambda join_request, by, reason: services.join_request_decide(
            join_request=join_request, by=by, approve=False, reason=reason
        ),
        gettext_lazy("Refused: the applicant is told by email."),
    ),
}


@require_POST
@login_when_needed
def email_decide(request, slug, message_id, decision):
    access = group_access(request, slug, Action.MODERATE)
    message = get_object_or_404(
        InboundMessage.objects.select_related("group", "author"),
        pk=message_id,
        group=access.group,
        status=InboundMessage.Status.HELD,
    )
    return _decide(request, access, EMAIL_DECISIONS, decision, message)


@require_POST
@login_when_needed
def request_decide(request, slug, request_id, decision):
    access = group_access(request, slug, Action.ADMINISTER)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("group", "user"), pk=request_id, group=access.group
    )
    return _decide(request, access, REQUEST_DECISIONS, decision, join_request)


@login_when_needed
def flag_create(request, slug, kind, object_id):
    """Flag something of the group: a form, then back to what was flagged."""
    access = group_access(request, slug, Action.FLAG)
    if kind not in TargetKind.values:
        raise Http404
    target = targets.find(group=access.group, kind=kind, object_id=object_id)
    if target is None:
        raise Http404
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                group=access.group,
                kind=kind,
                object_id=object_id,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the moderators will look at it."))
            return redirect(target.url)
    return render(
        request,
        "moderation/flag.html",
        {"group": access.group, "access": access, "target": target, "form": form},
    )

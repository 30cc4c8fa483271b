"""The moderators' pages of a wiki: decisions on held edits, reverting every edit of a
member, locking a page. Held edits wait in the group's one review queue (moderation's
Review tab), where this wiki's review address leads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from goingsolo.accounts.models import User
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.rules import Action

from .. import services
from ..models import Revision
from .lookup import context, page_switch, tell_refusal


@page_switch(
    Action.MODERATE,
    "lock",
    on=gettext_lazy("The page is locked: only moderators can edit it."),
    off=gettext_lazy("The page is unlocked: members can edit it again."),
)
def page_lock(request, page, locked):
    services.page_lock(page=page, moderator=request.user, locked=locked)


def _review_queue_url(group):
    # The group's one review queue (held posts, flags, held edits, requests) holds the
    # wiki's held edits; its URL is named, so the wiki needs no import of moderation.
    return reverse("moderation:queue", args=[group.slug]) + "#wiki-edits"


@login_when_needed
def review_queue(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    return redirect(_review_queue_url(access.group))


# What a moderator may decide about a held edit: the service, and what it did.
DECISIONS = {
    "approve": (
        services.revision_approve,
        gettext_lazy("Approved: everyone sees this edit of “%(title)s” now."),
    ),
    "reject": (
        services.revision_reject,
        gettext_lazy("Rejected: this edit of “%(title)s” stays out of the page."),
    ),
}


@login_when_needed
@require_POST
def review_decide(request, slug, revision_id, decision):
    access = group_access(request, slug, Action.MODERATE)
    revision = get_object_or_404(
        Revision.objects.select_related("page", "author"), pk=revision_id, group=access.group
    )
    if decision not in DECISIONS:
        return HttpResponseBadRequest()
    decide, done = DECISIONS[decision]
    try:
        decide(revision=revision, moderator=request.user)
    except ValidationError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, done % {"title": revision.page.title})
    return redirect(_review_queue_url(access.group))


@login_when_needed
def member_revert(request, slug, user_id):
    """Revert all edits of a member: a page saying what will happen, then the action."""
    access = group_access(request, slug, Action.MODERATE)
    # Only someone who belongs to the group or wrote in its wiki: any other id would show a
    # stranger's name (and tell that the account exists) to this group's moderators.
    wrote_here = Revision.objects.filter(group=access.group, author=OuterRef("pk"))
    member = get_object_or_404(
        User.objects.filter(Q(memberships__group=access.group) | Exists(wrote_here)).distinct(),
        pk=user_id,
    )
    if request.method == "POST":
        try:
            plan = services.member_edits_revert(
                group=access.group, member=member, moderator=request.user
            )
        except ValidationError as error:
            tell_refusal(request, error)
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
        context(access, member=member, plan=plan, active="review"),
    )

"""Joining and leaving a group, requests to join and their answers, invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.core.forms import add_service_errors

from .. import rules, selectors, services
from ..access import group_access, login_when_needed
from ..forms import InvitationForm, JoinForm, RefuseForm
from ..models import Invitation, JoinPolicy, JoinRequest
from ..rules import Action


@login_required
def group_join(request, slug):
    access = group_access(request, slug)
    group = access.group
    if access.membership is not None:
        return redirect(group)
    if group.join_policy == JoinPolicy.INVITATION:
        messages.info(request, _("This group is by invitation only."))
        return redirect(group)
    if access.is_banned:
        messages.error(request, rules.ban_refusal())
        return redirect(group)
    form = JoinForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data.get("accept_rules", True)
        try:
            if group.join_policy == JoinPolicy.OPEN:
                services.group_join(group=group, user=request.user, accept_rules=accept)
                messages.success(request, _("Welcome to %(group)s!") % {"group": group.name})
            else:
                services.join_request_create(
                    group=group, user=request.user, answers=form.answers, accept_rules=accept
                )
                messages.success(
                    request, _("Your request is sent. The group’s admins will answer it soon.")
                )
            return redirect(group)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "groups/join.html", {"group": group, "form": form, "access": access})


@require_POST
@login_required
def group_leave(request, slug):
    access = group_access(request, slug)
    if access.membership is None:
        return redirect(access.group)
    try:
        services.membership_leave(membership=access.membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(access.group)
    messages.success(request, _("You have left %(group)s.") % {"group": access.group.name})
    return redirect("home")


@login_when_needed
def request_list(request, slug):
    access = group_access(request, slug, Action.ADMINISTER)
    return render(
        request,
        "groups/request_list.html",
        {
            "group": access.group,
            "access": access,
            "requests": selectors.pending_requests(group=access.group),
            "refuse_form": RefuseForm(),
        },
    )


@require_POST
@login_when_needed
def request_decide(request, slug, request_id, decision):
    if decision not in ("approve", "refuse"):
        raise Http404
    access = group_access(request, slug, Action.ADMINISTER)
    join_request = get_object_or_404(JoinRequest, pk=request_id, group=access.group)
    try:
        if decision == "approve":
            services.join_request_approve(join_request=join_request, by=request.user)
            messages.success(
                request, _("%(name)s is now a member.") % {"name": join_request.user.name}
            )
        else:
            form = RefuseForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.join_request_refuse(join_request=join_request, by=request.user, reason=reason)
            messages.success(
                request, _("The request of %(name)s is refused.") % {"name": join_request.user.name}
            )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("groups:requests", slug=slug)


@login_when_needed
def invitation_list(request, slug):
    access = group_access(request, slug, Action.ADMINISTER)
    initial_language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "fr") else "en"
    form = InvitationForm(request.POST or None, initial={"language": initial_language})
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                group=access.group,
                email=form.cleaned_data["email"],
                by=request.user,
                language=form.cleaned_data["language"],
                only_invited_address=form.cleaned_data["only_invited_address"],
            )
            messages.success(
                request,
                _("The invitation is on its way to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("groups:invitations", slug=slug)
        except ValidationError as error:
            add_service_errors(form, error, fields={"__all__": "email"})
    invitations = access.group.invitations.filter(used_at__isnull=True).order_by("-created_at")
    return render(
        request,
        "groups/invitation_list.html",
        {"group": access.group, "access": access, "form": form, "invitations": invitations},
    )


def invitation(request, token):
    """An invitation link: shows the group (even a secret one) and lets the invitee join."""
    invitation = Invitation.objects.filter(token=token).select_related("group").first()
    if invitation is None:
        return render(
            request,
            "groups/invitation.html",
            {"error": _("This invitation link is not valid.")},
            status=404,
        )
    group = invitation.group
    error = None
    if invitation.used_at is not None:
        error = _("This invitation has already been used.")
    elif invitation.is_expired:
        error = _("This invitation has expired. Ask the group’s admins for a new one.")
    if error:
        return render(
            request, "groups/invitation.html", {"error": error, "group": group}, status=410
        )
    if not request.user.is_authenticated:
        return render(request, "groups/invitation.html", {"invitation": invitation, "group": group})
    if rules.is_banned(request.user, group):
        return render(
            request,
            "groups/invitation.html",
            {"error": rules.ban_refusal(), "group": group},
            status=403,
        )
    if not invitation.admits(request.user):
        return render(
            request,
            "groups/invitation.html",
            {"error": services.another_address_refusal(), "group": group},
            status=403,
        )
    form = JoinForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token,
                user=request.user,
                accept_rules=form.cleaned_data.get("accept_rules", True),
            )
            messages.success(request, _("Welcome to %(group)s!") % {"group": group.name})
            return redirect(group)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request, "groups/invitation.html", {"invitation": invitation, "group": group, "form": form}
    )

"""A member as a group's moderators see them: role, sanctions in force, what was done to
them, and the controls a moderator may use on them (warn, silence, suspend, ban, lift,
revert their wiki edits), each shown only to who may act on that member. And the group's
list of bans. The profile page and the review queue link here (docs/moderation.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.core.dates import format_when
from goingsolo.core.forms import add_service_errors
from goingsolo.groups import rules
from goingsolo.groups.access import group_access, login_when_needed
from goingsolo.groups.models import Ban, Membership
from goingsolo.groups.rules import Action

from . import sanctions, selectors, services
from .forms import BanForm, ReasonForm, SanctionForm

Sanction = sanctions.Action

# Each control of the page: its form, and the call it makes with the form's data.
FORMS = {
    "warn": ReasonForm,
    "silence": SanctionForm,
    "suspend": SanctionForm,
    "ban": BanForm,
    "lift-silence": ReasonForm,
    "lift-suspend": ReasonForm,
    "lift-ban": ReasonForm,
}


def _act(control, *, group, member, by, form):
    """Runs CONTROL with FORM's data; returns what to tell the moderator."""
    data = form.cleaned_data
    names = {"name": member.name}
    if control == "warn":
        services.member_warn(group=group, member=member, by=by, reason=data["reason"])
        return _("%(name)s is warned by email.") % names
    if control in ("silence", "suspend"):
        act = sanctions.member_silence if control == "silence" else sanctions.member_suspend
        until = form.until()
        act(group=group, member=member, by=by, until=until, reason=data["reason"])
        names["until"] = format_when(timezone.localtime(until), "datetime")
        if control == "silence":
            return _("%(name)s is silenced until %(until)s.") % names
        return _("%(name)s is suspended until %(until)s.") % names
    if control == "ban":
        sanctions.member_ban(group=group, member=member, by=by, reason=data["reason"])
        return _("%(name)s is removed from the group and banned.") % names
    lifted = Sanction(control.removeprefix("lift-"))
    sanctions.sanction_lift(
        group=group, member=member, by=by, sanction=lifted, reason=data["reason"]
    )
    if lifted == Sanction.BAN:
        return _("The ban is lifted: %(name)s may join again.") % names
    return _("Lifted: %(name)s takes part in the group again.") % names


def _member_of(access, user_id):
    """(member, membership or None, ban or None) of USER_ID in the group: a member or
    someone banned from it; 404 for anyone else."""
    membership = (
        Membership.objects.filter(group=access.group, user_id=user_id)
        .select_related("user")
        .first()
    )
    ban = (
        Ban.objects.filter(group=access.group, user_id=user_id)
        .select_related("user", "banned_by")
        .first()
    )
    if membership is None and ban is None:
        raise Http404
    if membership is not None:
        membership.group = access.group
    return (membership or ban).user, membership, ban


def _page(request, access, user_id, bound=None):
    """The member's moderation page; BOUND: (control, form) sent and refused, shown again
    with its errors and what was typed."""
    member, membership, ban = _member_of(access, user_id)
    can_act = membership is not None and rules.can_act_on(access.membership, membership)
    can_ban = (
        can_act and access.can_administer and rules.can_manage_member(access.membership, membership)
    )
    controls = {control: form(prefix=control) for control, form in FORMS.items()}
    if bound is not None:
        controls[bound[0]] = bound[1]
    # Templates name them with underscores ("lift_ban").
    controls = {control.replace("-", "_"): form for control, form in controls.items()}
    return render(
        request,
        "moderation/member.html",
        {
            "group": access.group,
            "access": access,
            "active": "review",
            "member": member,
            "membership": membership,
            "ban": ban,
            "can_act": can_act,
            "can_ban": can_ban,
            "can_lift_ban": ban is not None and access.can_administer,
            "controls": controls,
            "entries": selectors.log_about(group=access.group, member=member),
        },
        status=400 if bound is not None else 200,
    )


@login_when_needed
def member(request, slug, user_id):
    access = group_access(request, slug, Action.MODERATE)
    return _page(request, access, user_id)


@require_POST
@login_when_needed
def member_act(request, slug, user_id, control):
    access = group_access(request, slug, Action.MODERATE)
    if control not in FORMS:
        raise Http404
    member, _membership, _ban = _member_of(access, user_id)
    form = FORMS[control](request.POST, prefix=control)
    if form.is_valid():
        try:
            done = _act(control, group=access.group, member=member, by=request.user, form=form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("moderation:member", access.group.slug, member.pk)
    return _page(request, access, user_id, bound=(control, form))


@login_when_needed
def ban_list(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    return render(
        request,
        "moderation/bans.html",
        {
            "group": access.group,
            "access": access,
            "active": "review",
            "bans": selectors.bans_of(group=access.group),
        },
    )

"""The home page, the list of groups, a group's page and its About and settings pages, and
starting a group."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from goingsolo.core.page_cache import kept_for_visitors

from .. import sections, selectors, services
from ..access import group_access, login_when_needed
from ..forms import GroupForm
from ..models import Group
from ..rules import Action


@kept_for_visitors
def home(request):
    context = {"discover": selectors.findable_groups(user=request.user)}
    if request.user.is_authenticated:
        mine = selectors.groups_of(user=request.user)
        context["my_groups"] = mine
        # The lists of cards are kept as fragments: everything each card shows.
        context["my_groups_key"] = tuple(
            (group.card_key, membership.role) for group, membership in mine
        )
        mine_ids = {group.pk for group, _membership in mine}
        context["discover"] = [g for g in context["discover"] if g.pk not in mine_ids]
        context["sections"] = sections.sections_for(
            "home", request, groups=[group for group, _m in mine]
        )
    context["discover_key"] = tuple(group.card_key for group in context["discover"])
    return render(request, "groups/home.html", context)


@kept_for_visitors
def group_list(request):
    groups = selectors.findable_groups(user=request.user)
    # The list of cards is kept as one fragment: everything each card shows.
    cards_key = tuple(group.card_key for group in groups)
    return render(request, "groups/group_list.html", {"groups": groups, "cards_key": cards_key})


@login_required
def group_create(request):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.group_create(
            owner=request.user, slug=form.cleaned_data["slug"], **form.service_fields()
        )
        messages.success(request, _("Your group is ready. Invite its first members."))
        return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "creating": True})


def _membership_context(request, access):
    """What the group's page and its About show of the visitor: their membership or request."""
    return {
        "group": access.group,
        "access": access,
        # A member has no request waiting (the page shows their membership): no query.
        "pending_request": None
        if access.membership is not None
        else selectors.pending_request_of(user=request.user, group=access.group),
    }


@kept_for_visitors
@login_when_needed
def group_detail(request, slug):
    access = group_access(request, slug)
    context = _membership_context(request, access)
    context["sections"] = sections.sections_for("group", request, group=access.group, access=access)
    return render(request, "groups/group_detail.html", context)


@login_when_needed
def group_about(request, slug):
    """The group's description and rules in full, and the visitor's membership."""
    access = group_access(request, slug)
    return render(request, "groups/group_about.html", _membership_context(request, access))


@login_when_needed
def group_settings(request, slug):
    access = group_access(request, slug, Action.ADMINISTER)
    group = access.group
    form = GroupForm(request.POST or None, instance=Group.objects.get(pk=group.pk))
    if request.method == "POST" and form.is_valid():
        services.group_update(group=group, by=request.user, **form.service_fields())
        messages.success(request, _("The group’s settings are saved."))
        return redirect(group)
    return render(
        request, "groups/group_form.html", {"form": form, "group": group, "access": access}
    )

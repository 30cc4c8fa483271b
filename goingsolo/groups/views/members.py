"""A group's members: the list with its filters, roles and removal; and a member's profile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.accounts.models import User

from .. import rules, selectors, services
from ..access import group_access, login_when_needed
from ..forms import MemberFilterForm, RoleForm
from ..models import Membership
from ..people import ProfileAccess
from ..rules import Action

MEMBERS_PER_PAGE = 30


@login_when_needed
def member_list(request, slug):
    """The members page; with htmx (the filters, the page links), only the results it
    includes (`_member_results.html`), which the page swaps in place. A history restore
    (htmx asking for a page it no longer holds) gets the whole page."""
    access = group_access(request, slug, Action.LIST_MEMBERS)
    form = MemberFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        selectors.group_members(
            group=access.group,
            city=filters.get("city", ""),
            language=filters.get("language", ""),
            skill=filters.get("skill", ""),
            query=filters.get("q", ""),
        ),
        MEMBERS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    members = list(page.object_list)
    for membership in members:
        membership.assignable_roles = (
            rules.assignable_roles(access.membership)
            if access.can_administer and rules.can_manage_member(access.membership, membership)
            else []
        )
    context = {"group": access.group, "access": access, "members": members, "page": page}
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "groups/_member_results.html", context)
    else:
        context.update(form=form, cities=selectors.member_cities(group=access.group))
        response = render(request, "groups/member_list.html", context)
    # One address, two answers: a cache must not give the fragment for the page.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _membership_to_manage(request, slug, membership_id):
    """The membership an admin of the group acts on (404 outside the group)."""
    access = group_access(request, slug, Action.ADMINISTER)
    return get_object_or_404(Membership, pk=membership_id, group=access.group)


@require_POST
@login_when_needed
def member_role(request, slug, membership_id):
    membership = _membership_to_manage(request, slug, membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": membership.user.name, "role": membership.get_role_display()},
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
    return redirect("groups:members", slug=slug)


@require_POST
@login_when_needed
def member_remove(request, slug, membership_id):
    membership = _membership_to_manage(request, slug, membership_id)
    try:
        services.membership_remove(membership=membership, by=request.user)
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": membership.user.name}
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("groups:members", slug=slug)


def member_profile(request, pk):
    member = get_object_or_404(User, pk=pk, is_active=True)
    profiles = ProfileAccess.of(request.user)
    if not profiles.can_open(member):
        # Like a group one may not find: the same answer as a member who does not exist.
        raise Http404
    short = profiles.is_short
    return render(
        request,
        "groups/member_profile.html",
        {
            "member": member,
            "short": short,
            "groups": [] if short else selectors.profile_groups(viewer=request.user, member=member),
            "is_self": request.user.is_authenticated and request.user.pk == member.pk,
            # Where the viewer moderates this member: the way to the controls on them.
            "moderated_groups": selectors.groups_moderated_for(viewer=request.user, member=member),
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
        },
    )

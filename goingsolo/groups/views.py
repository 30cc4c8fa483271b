"""Web pages for groups. Thin: each view checks the rules, calls a service, renders."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.accounts.models import User
from goingsolo.core import search as engine
from goingsolo.core.forms import add_service_errors

from . import rules, search_kinds, sections, selectors, services
from .access import group_access, login_when_needed
from .forms import (
    GroupForm,
    InvitationForm,
    JoinForm,
    MemberFilterForm,
    RefuseForm,
    RoleForm,
    SearchForm,
)
from .models import Group, Invitation, JoinPolicy, JoinRequest, Membership
from .people import ProfileAccess
from .rules import Action


def home(request):
    context = {"discover": selectors.findable_groups(user=request.user)}
    if request.user.is_authenticated:
        mine = selectors.groups_of(user=request.user)
        context["my_groups"] = mine
        mine_ids = {group.pk for group, _membership in mine}
        context["discover"] = [g for g in context["discover"] if g.pk not in mine_ids]
        context["sections"] = sections.sections_for(
            "home", request, groups=[group for group, _m in mine]
        )
    return render(request, "groups/home.html", context)


def group_list(request):
    return render(
        request, "groups/group_list.html", {"groups": selectors.findable_groups(user=request.user)}
    )


@login_required
def group_create(request):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = services.group_create(
            owner=request.user,
            name=data["name"],
            slug=data["slug"],
            visibility=data["visibility"],
            join_policy=data["join_policy"],
            description_en=data["description_en"],
            description_fr=data["description_fr"],
            rules=data["rules"],
            join_questions=data["join_questions"],
        )
        messages.success(request, _("Your group is ready. Invite its first members."))
        return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "creating": True})


@login_when_needed
def group_detail(request, slug):
    access = group_access(request, slug)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": access.group,
            "access": access,
            "pending_request": selectors.pending_request_of(user=request.user, group=access.group),
            "sections": sections.sections_for("group", request, group=access.group, access=access),
        },
    )


@login_when_needed
def group_about(request, slug):
    """The group's description and rules in full, and the visitor's membership."""
    access = group_access(request, slug)
    return render(
        request,
        "groups/group_about.html",
        {
            "group": access.group,
            "access": access,
            "pending_request": selectors.pending_request_of(user=request.user, group=access.group),
        },
    )


@login_when_needed
def group_settings(request, slug):
    access = group_access(request, slug, Action.ADMINISTER)
    group = access.group
    form = GroupForm(request.POST or None, instance=Group.objects.get(pk=group.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.group_update(
            group=group,
            by=request.user,
            name=data["name"],
            description_en=data["description_en"],
            description_fr=data["description_fr"],
            visibility=data["visibility"],
            join_policy=data["join_policy"],
            rules=data["rules"],
            join_questions=data["join_questions"],
        )
        messages.success(request, _("The group’s settings are saved."))
        return redirect(group)
    return render(
        request, "groups/group_form.html", {"form": form, "group": group, "access": access}
    )


@login_required
def group_join(request, slug):
    access = group_access(request, slug)
    group = access.group
    if access.membership is not None:
        return redirect(group)
    if group.join_policy == JoinPolicy.INVITATION:
        messages.info(request, _("This group is by invitation only."))
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


MEMBERS_PER_PAGE = 30


@login_when_needed
def member_list(request, slug):
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
    return render(
        request,
        "groups/member_list.html",
        {
            "group": access.group,
            "access": access,
            "members": members,
            "page": page,
            "form": form,
            "cities": selectors.member_cities(group=access.group),
        },
    )


@require_POST
@login_when_needed
def member_role(request, slug, membership_id):
    access = group_access(request, slug, Action.ADMINISTER)
    membership = get_object_or_404(Membership, pk=membership_id, group=access.group)
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
    access = group_access(request, slug, Action.ADMINISTER)
    membership = get_object_or_404(Membership, pk=membership_id, group=access.group)
    try:
        services.membership_remove(membership=membership, by=request.user)
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": membership.user.name}
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("groups:members", slug=slug)


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
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
        },
    )


SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGE = 1000


def search(request):
    """One search box over everything the visitor may read, in every group."""
    readable = Group.objects.filter(rules.content_visible_groups_q(request.user)).order_by("name")
    form = SearchForm(request.GET or None, groups=readable)
    results, total, page = [], 0, None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        author_id = None
        if data["author"]:
            author_id = (
                User.objects.filter(handle__iexact=data["author"].lstrip("@"))
                .values_list("pk", flat=True)
                .first()
                or -1
            )
        zone = timezone.get_current_timezone()
        since = (
            timezone.make_aware(datetime.combine(data["since"], time.min), zone)
            if data["since"]
            else None
        )
        until = (
            timezone.make_aware(datetime.combine(data["until"] + timedelta(days=1), time.min), zone)
            if data["until"]
            else None
        )
        page_text = request.GET.get("page", "1")
        # Past the last page the list is empty; an absurd number must not reach the database
        # ("²".isdigit() is true, but int() refuses it).
        if not page_text.isdecimal():
            page_number = 1
        elif len(page_text) > 6:
            page_number = SEARCH_MAX_PAGE
        else:
            page_number = min(max(1, int(page_text)), SEARCH_MAX_PAGE)
        found = engine.search(
            data["q"],
            group_ids=readable.values("pk"),
            kinds=search_kinds.kinds(),
            group_id=data["group"].pk if data["group"] else None,
            author_id=author_id,
            language=data["language"] or None,
            since=since,
            until=until,
            limit=SEARCH_PAGE_SIZE,
            offset=(page_number - 1) * SEARCH_PAGE_SIZE,
        )
        results, total = search_kinds.present(found.results), found.total
        page = Paginator(range(total), SEARCH_PAGE_SIZE).get_page(page_number) if total else None
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "groups/search.html",
        {
            "form": form,
            "results": results,
            "total": total,
            "page": page,
            "query_string": query_without_page.urlencode(),
        },
    )

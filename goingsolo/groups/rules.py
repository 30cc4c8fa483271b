"""Who may do what in a group: the one place that decides.

A member's *standing* in a group (anonymous, outsider, applicant, member, moderator,
admin, owner) and the group's visibility give the set of allowed actions. Web views, email
handling, feeds, search and the API all ask here. Querysets that list content across
groups use `groups_with_visible_content` and `findable_groups` so lists and single pages
agree.
"""

from enum import StrEnum

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.dates import format_when

from .models import (
    ROLE_ORDER,
    Ban,
    Group,
    JoinRequest,
    Membership,
    Role,
    Visibility,
    not_suspended_q,
)


class Action(StrEnum):
    FIND = "find"  # know the group exists: its name, description, member count
    VIEW_CONTENT = "view_content"  # read discussions, events, wiki
    LIST_MEMBERS = "list_members"
    POST = "post"  # start threads, reply, react, RSVP, edit the wiki
    FLAG = "flag"  # flag a post, an edit, an event or a profile for the moderators
    MODERATE = "moderate"  # the review queue: approve, hide, warn; restore; lock
    ADMINISTER = "administer"  # settings, requests, invitations, roles


class Standing(StrEnum):
    ANONYMOUS = "anonymous"
    OUTSIDER = "outsider"  # logged in, not a member
    APPLICANT = "applicant"  # logged in, with a pending join request
    MEMBER = Role.MEMBER.value
    MODERATOR = Role.MODERATOR.value
    ADMIN = Role.ADMIN.value
    OWNER = Role.OWNER.value


_MEMBER = {Action.FIND, Action.VIEW_CONTENT, Action.LIST_MEMBERS, Action.POST, Action.FLAG}
_MODERATOR = _MEMBER | {Action.MODERATE}
_ADMIN = _MODERATOR | {Action.ADMINISTER}

_STAFF_STANDINGS = {
    Standing.MEMBER: _MEMBER,
    Standing.MODERATOR: _MODERATOR,
    Standing.ADMIN: _ADMIN,
    Standing.OWNER: _ADMIN,
}

MATRIX = {
    Visibility.PUBLIC: {
        Standing.ANONYMOUS: {Action.FIND, Action.VIEW_CONTENT},
        # Member lists show names and cities: only to people with an account.
        Standing.OUTSIDER: {Action.FIND, Action.VIEW_CONTENT, Action.LIST_MEMBERS},
        Standing.APPLICANT: {Action.FIND, Action.VIEW_CONTENT, Action.LIST_MEMBERS},
        **_STAFF_STANDINGS,
    },
    Visibility.CLOSED: {
        Standing.ANONYMOUS: {Action.FIND},
        Standing.OUTSIDER: {Action.FIND},
        Standing.APPLICANT: {Action.FIND},
        **_STAFF_STANDINGS,
    },
    Visibility.SECRET: {
        Standing.ANONYMOUS: set(),
        Standing.OUTSIDER: set(),
        # Only someone who was shown the group (by invitation link) can have applied.
        Standing.APPLICANT: {Action.FIND},
        **_STAFF_STANDINGS,
    },
}

UNSET = object()


def standing_of(user, group, membership=UNSET):
    """USER's standing in GROUP. Pass MEMBERSHIP when it is already loaded (None if none)."""
    if user is None or not user.is_authenticated:
        return Standing.ANONYMOUS
    if membership is UNSET:
        membership = Membership.objects.filter(group=group, user=user).first()
    if membership is not None:
        return Standing(membership.role)
    if JoinRequest.objects.filter(
        group=group, user=user, status=JoinRequest.Status.PENDING
    ).exists():
        return Standing.APPLICANT
    return Standing.OUTSIDER


# What a silence takes away, until it ends: every way of taking part in the group.
SILENCED_OUT = {Action.POST, Action.FLAG}


def allowed_actions(standing, group, membership=None):
    """The actions STANDING allows in GROUP, less what a sanction in force on MEMBERSHIP
    takes away: a silenced member reads but takes no part (`SILENCED_OUT`); a suspended
    one has an outsider's access only, and still knows the group exists."""
    allowed = MATRIX[Visibility(group.visibility)][standing]
    if membership is None:
        return allowed
    if membership.is_suspended:
        return MATRIX[Visibility(group.visibility)][Standing.OUTSIDER] | {Action.FIND}
    if membership.restricted_until is not None:
        return allowed - SILENCED_OUT
    return allowed


def can(user, action, group, membership=UNSET):
    if Action(action) in INSTANCE_ADMIN_ACTIONS and is_instance_admin(user):
        return True
    if membership is UNSET:
        membership = (
            Membership.objects.filter(group=group, user=user).first()
            if user is not None and user.is_authenticated
            else None
        )
    return Action(action) in allowed_actions(
        standing_of(user, group, membership), group, membership
    )


def sanction_refusal(membership):
    """Why MEMBERSHIP may not take part in its group now, in words for the member (the
    end in the active language and time zone), or "" when nothing stops them."""
    if membership is None:
        return ""
    until = membership.restricted_until
    if until is None:
        return ""
    values = {
        "group": membership.group.name,
        "until": format_when(timezone.localtime(until), "datetime"),
    }
    if membership.is_suspended:
        return (
            _(
                "A moderator suspended you in %(group)s until %(until)s: until then you cannot "
                "open its members’ pages, take part or get its emails."
            )
            % values
        )
    return (
        _(
            "A moderator silenced you in %(group)s until %(until)s: until then you can read, "
            "but not post, reply, react, edit the wiki, propose events or flag."
        )
        % values
    )


def is_banned(user, group):
    return user is not None and Ban.objects.filter(group=group, user=user).exists()


def ban_refusal():
    return _("The admins of this group banned you: you cannot join it again.")


# --- Instance admins ---------------------------------------------------------------------
# The people who run the instance (Django's staff, superusers too) rank above every group
# role: they moderate and administer every group, secret ones included, without being
# members (the instance-wide review queue, docs/moderation.md). They do not post or flag
# where they are not members. Lists across groups (findable_groups_q…) do not change: a
# staff member's home page still lists their own groups.
INSTANCE_ADMIN_ACTIONS = frozenset(
    {Action.FIND, Action.VIEW_CONTENT, Action.LIST_MEMBERS, Action.MODERATE, Action.ADMINISTER}
)


def is_instance_admin(user):
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser)
    )


def _member_group_ids(user):
    return Membership.objects.filter(user=user).values("group_id")


def findable_groups_q(user, prefix=""):
    """A Q for groups USER may know exist (PREFIX: the path to the group, e.g. "group__")."""
    q = Q(**{f"{prefix}visibility__in": [Visibility.PUBLIC, Visibility.CLOSED]})
    if user is not None and user.is_authenticated:
        q |= Q(**{f"{prefix}pk__in": _member_group_ids(user)})
        q |= Q(
            **{
                f"{prefix}pk__in": JoinRequest.objects.filter(
                    user=user, status=JoinRequest.Status.PENDING
                ).values("group_id")
            }
        )
    return q


def content_visible_groups_q(user, prefix=""):
    """A Q for groups whose content USER may read: public ones and their own.

    Subqueries rather than joins, so a list filtered by it never repeats a row.
    """
    q = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if user is not None and user.is_authenticated:
        # A suspended member reads only what an outsider does.
        reading = Membership.objects.filter(not_suspended_q(), user=user).values("group_id")
        q |= Q(**{f"{prefix}pk__in": reading})
    return q


def content_visible(group, membership):
    """Whether the holder of MEMBERSHIP (None: not a member) may read GROUP's content, as
    content_visible_groups_q decides it in SQL: the two must agree (tests/accounts/
    test_person_links.py compares them)."""
    if group.visibility == Visibility.PUBLIC:
        return True
    return membership is not None and not membership.is_suspended


def can_manage_member(actor_membership, target_membership):
    """Admins manage members below them; owners manage everyone but themselves."""
    if actor_membership is None or actor_membership.pk == target_membership.pk:
        return False
    if actor_membership.role == Role.OWNER:
        return True
    return actor_membership.has_role(Role.ADMIN) and not target_membership.has_role(Role.ADMIN)


def can_act_on(actor_membership, target_membership):
    """Whether a moderator (ACTOR_MEMBERSHIP) may act on a member (TARGET_MEMBERSHIP, None
    for someone who is no longer a member): hide their posts, warn them. Nobody acts on
    their own role or a higher one, nor on themselves; owners act on everyone else."""
    if actor_membership is None or not actor_membership.has_role(Role.MODERATOR):
        return False
    if target_membership is None:
        return True
    if actor_membership.pk == target_membership.pk:
        return False
    if actor_membership.role == Role.OWNER:
        return True
    return ROLE_ORDER.index(target_membership.role) < ROLE_ORDER.index(actor_membership.role)


def assignable_roles(actor_membership):
    if actor_membership is None:
        return []
    if actor_membership.role == Role.OWNER:
        return [Role.MEMBER, Role.MODERATOR, Role.ADMIN, Role.OWNER]
    if actor_membership.role == Role.ADMIN:
        return [Role.MEMBER, Role.MODERATOR]
    return []


# --- Member profiles -------------------------------------------------------------------------
# A member's profile opens to whoever may read what the member writes in one of their
# groups: everyone for a member of a public group, fellow members otherwise. Admins of a
# group also open the profiles of the people asking to join it. Visitors without an account
# get the short profile (name, avatar, city, bio); the rest, groups included, needs an
# account, as member lists do. docs/permissions.md, "Member profiles".


def open_profiles_q(viewer):
    """A Q on users: the members whose profile VIEWER may open."""
    groups_read = Group.objects.filter(content_visible_groups_q(viewer)).values("pk")
    q = Q(pk__in=Membership.objects.filter(group__in=groups_read).values("user_id"))
    if viewer is not None and viewer.is_authenticated:
        q |= Q(pk=viewer.pk)
        administered = Membership.objects.filter(
            user=viewer, role__in=[Role.ADMIN, Role.OWNER]
        ).values("group_id")
        q |= Q(
            pk__in=JoinRequest.objects.filter(
                group__in=administered, status=JoinRequest.Status.PENDING
            ).values("user_id")
        )
    return q & Q(is_active=True)


def profile_is_short(viewer):
    """True when VIEWER sees the short profile: name, avatar, city and bio only."""
    return viewer is None or not viewer.is_authenticated

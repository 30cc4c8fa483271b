"""Reads about groups that span relations. Each list is a fixed number of queries."""

from django.db.models import Case, Q, Value, When

from goingsolo.accounts.models import User
from goingsolo.core.prepared import PreparedQuery

from . import rules
from .models import ROLE_ORDER, Group, JoinRequest, Membership, Role, Visibility

# The home page and the group list ask these on every visit: built once per process
# (core/prepared.py), one shape for visitors and one for members.
_findable_by_visitors = PreparedQuery(
    lambda: Group.objects.filter(rules.findable_groups_q(None)).order_by("name")
)
_findable_by_member = PreparedQuery(
    lambda user_id: Group.objects.filter(rules.findable_groups_q(User(pk=user_id))).order_by("name")
)
_memberships_of = PreparedQuery(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id).select_related("group").order_by("group__name")
    )
)


def findable_groups(*, user):
    """The groups USER may know exist, by name (a list)."""
    if user is None or not user.is_authenticated:
        return _findable_by_visitors.objects()
    return _findable_by_member.objects(user_id=user.pk)


def groups_of(*, user):
    """USER's groups, each with their membership (role), by name."""
    if not user.is_authenticated:
        return []
    return [(m.group, m) for m in _memberships_of.objects(user_id=user.pk)]


# Every group page asks it of a member: built once per process (core/prepared.py).
_membership = PreparedQuery(
    lambda user_id, group_id: Membership.objects.filter(
        user_id=user_id, group_id=group_id
    ).order_by("pk")[:1]
)


def membership_of(*, user, group):
    if not user.is_authenticated:
        return None
    return _membership.first(user_id=user.pk, group_id=group.pk)


def group_members(*, group, city="", language="", skill="", query=""):
    """The memberships of GROUP (a queryset to paginate), filtered; owners, admins and
    moderators first, then by name."""
    memberships = Membership.objects.filter(group=group).select_related("user")
    if city:
        memberships = memberships.filter(user__city__iexact=city.strip())
    if language:
        # JSON "contains" is not available on SQLite; the quoted code cannot match a
        # longer code by accident because every code is stored between quotes.
        memberships = memberships.filter(user__spoken_languages__icontains=f'"{language}"')
    if skill:
        memberships = memberships.filter(user__skills__icontains=skill.strip())
    if query:
        memberships = memberships.filter(
            Q(user__display_name__icontains=query) | Q(user__email__istartswith=query)
        )
    # Ordered in the database, so a page of the list is one query whatever the group's size.
    role_rank = Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(reversed(ROLE_ORDER))),
        default=Value(len(ROLE_ORDER)),
    )
    return memberships.order_by(role_rank, "user__display_name", "user__email", "pk")


def member_cities(*, group):
    return list(
        User.objects.filter(memberships__group=group)
        .exclude(city="")
        .values_list("city", flat=True)
        .distinct()
        .order_by("city")
    )


def pending_requests(*, group):
    return list(
        JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def pending_request_of(*, user, group):
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        user=user, group=group, status=JoinRequest.Status.PENDING
    ).first()


def profile_groups(*, viewer, member):
    """MEMBER's groups whose member list VIEWER may see; they make the profile visible."""
    if not viewer.is_authenticated:
        return []
    shared = Q(visibility=Visibility.PUBLIC) | Q(
        pk__in=Membership.objects.filter(user=viewer).values("group_id")
    )
    return list(Group.objects.filter(memberships__user=member).filter(shared).order_by("name"))


def groups_moderated_for(*, viewer, member):
    """The groups where VIEWER may act on MEMBER as a moderator (`rules.can_act_on`),
    by name. Two queries at most."""
    if not viewer.is_authenticated or viewer.pk == member.pk:
        return []
    mine = {
        m.group_id: m
        for m in Membership.objects.filter(
            user=viewer, role__in=[Role.MODERATOR, Role.ADMIN, Role.OWNER]
        )
    }
    if not mine:
        return []
    theirs = Membership.objects.filter(user=member, group_id__in=mine).select_related("group")
    return sorted(
        (m.group for m in theirs if rules.can_act_on(mine[m.group_id], m)),
        key=lambda group: group.name,
    )

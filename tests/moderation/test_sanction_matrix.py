"""The permission matrix under a sanction (docs/permissions.md, "Sanctions"), written out
by hand, independently of goingsolo.groups.rules: a silence takes away posting and
flagging, whatever the role; a suspension leaves an outsider's access, and the group's
name."""

from datetime import timedelta

import pytest
from django.utils import timezone

from goingsolo.groups import rules
from goingsolo.groups.models import Membership, Role
from tests.factories import GroupFactory, member_of

ACTIONS = ["find", "view_content", "list_members", "post", "flag", "moderate", "administer"]
Y, N = True, False
# Rows: (visibility, role, sanction); columns: ACTIONS.
EXPECTED = {
    ("public", "member", "silenced"): [Y, Y, Y, N, N, N, N],
    ("public", "moderator", "silenced"): [Y, Y, Y, N, N, Y, N],
    ("public", "admin", "silenced"): [Y, Y, Y, N, N, Y, Y],
    ("public", "member", "suspended"): [Y, Y, Y, N, N, N, N],
    ("public", "moderator", "suspended"): [Y, Y, Y, N, N, N, N],
    ("closed", "member", "silenced"): [Y, Y, Y, N, N, N, N],
    ("closed", "member", "suspended"): [Y, N, N, N, N, N, N],
    ("closed", "admin", "suspended"): [Y, N, N, N, N, N, N],
    ("secret", "member", "silenced"): [Y, Y, Y, N, N, N, N],
    ("secret", "member", "suspended"): [Y, N, N, N, N, N, N],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("visibility", "role", "sanction"), list(EXPECTED))
def test_rules_under_a_sanction_follow_the_table(visibility, role, sanction):
    group = GroupFactory(visibility=visibility)
    user = member_of(group, Role(role))
    field = "silenced_until" if sanction == "silenced" else "suspended_until"
    Membership.objects.filter(user=user).update(**{field: timezone.now() + timedelta(hours=1)})
    got = [rules.can(user, action, group) for action in ACTIONS]
    assert got == EXPECTED[(visibility, role, sanction)]
    # Over: the role's full rights again, without anything clearing the field.
    Membership.objects.filter(user=user).update(**{field: timezone.now() - timedelta(hours=1)})
    assert rules.can(user, "post", group) and rules.can(user, "flag", group)

"""The trust level of a member, defined once for every feature."""

import dataclasses
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from goingsolo.groups.models import Membership, Role
from goingsolo.groups.trust import (
    ALLOWED,
    Allowed,
    TrustLevel,
    allowed,
    is_trusted,
    membership_vouch,
    record_contribution,
    trust_level,
)
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def membership(days=0, contributions=0, approvals=0, role=Role.MEMBER):
    return MembershipFactory(
        role=role,
        joined_at=timezone.now() - timedelta(days=days),
        accepted_contributions=contributions,
        approvals=approvals,
    )


def test_a_member_who_just_joined_is_new():
    assert trust_level(membership()) == TrustLevel.NEW
    assert trust_level(None) == TrustLevel.NEW


def test_time_alone_does_not_make_a_member_trusted():
    assert trust_level(membership(days=400)) == TrustLevel.NEW


def test_contributions_alone_do_not_either():
    assert trust_level(membership(days=1, contributions=50)) == TrustLevel.NEW


def test_a_few_days_and_a_few_contributions_make_a_new_member_a_member():
    assert trust_level(membership(days=3, contributions=3)) == TrustLevel.MEMBER


def test_a_month_and_ten_contributions_make_a_member_trusted():
    assert trust_level(membership(days=30, contributions=10)) == TrustLevel.TRUSTED
    assert trust_level(membership(days=29, contributions=10)) == TrustLevel.MEMBER


def test_approvals_by_moderators_build_trust_faster():
    assert trust_level(membership(approvals=1)) == TrustLevel.MEMBER
    assert trust_level(membership(approvals=3)) == TrustLevel.TRUSTED


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN, Role.OWNER])
def test_moderators_and_above_are_always_trusted(role):
    assert is_trusted(membership(role=role))


def test_recording_a_contribution_counts_it_and_approvals_apart():
    group = GroupFactory()
    member = MembershipFactory(group=group)
    record_contribution(group_id=group.pk, user_id=member.user_id)
    record_contribution(group_id=group.pk, user_id=member.user_id, approved=True)
    member = Membership.objects.get(pk=member.pk)
    assert (member.accepted_contributions, member.approvals) == (2, 1)


def test_recording_for_someone_who_is_not_a_member_does_nothing():
    group = GroupFactory()
    other = MembershipFactory()
    record_contribution(group_id=group.pk, user_id=other.user_id)
    assert Membership.objects.get(pk=other.pk).accepted_contributions == 0


def _table_in_the_docs():
    """docs/moderation.md's "What each level may do": {field: [new, member, trusted]}."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "moderation.md").read_text()
    rows = re.findall(r"^\| [^|]+ \| `(\w+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    table = {field: [cell.strip() for cell in cells] for field, *cells in rows}
    table.pop("field")  # the header
    return table


def _as_written(value):
    if value is None:
        return "no limit"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def test_the_table_in_the_docs_is_the_one_the_code_reads():
    expected = {
        field.name: [
            _as_written(getattr(ALLOWED[level], field.name))
            for level in (TrustLevel.NEW, TrustLevel.MEMBER, TrustLevel.TRUSTED)
        ]
        for field in dataclasses.fields(Allowed)
    }
    assert _table_in_the_docs() == expected


def test_the_labels_of_the_levels():
    assert [str(level.label) for level in TrustLevel] == ["New", "Member", "Trusted"]


def test_vouching_for_a_member_makes_them_trusted_at_once():
    member = membership()
    membership_vouch(membership=member)
    assert trust_level(Membership.objects.get(pk=member.pk)) == TrustLevel.TRUSTED


def test_only_trusted_members_invite(group):
    admin = MembershipFactory(group=group, role=Role.ADMIN)
    assert allowed(admin).invitations
    assert not allowed(membership()).invitations

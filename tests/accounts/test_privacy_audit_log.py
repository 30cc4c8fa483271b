"""Instance admins see an audit log of what admins did in the Django admin."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from goingsolo.accounts.models import User
from goingsolo.groups.models import Group
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


def test_an_admins_change_to_a_group_is_in_the_audit_log(client, superuser):
    group = GroupFactory(name="Going Solo", slug="going-solo")
    client.force_login(superuser)
    url = reverse("admin:groups_group_change", args=[group.pk])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "name": "Going Solo Lausanne",
            "slug": "going-solo",
            "description_en": "",
            "description_fr": "",
            "visibility": "closed",
            "join_policy": "approval",
            "rules": "",
            "join_questions": "[]",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content
    assert Group.objects.get(pk=group.pk).name == "Going Solo Lausanne"
    [entry] = LogEntry.objects.all()
    assert (entry.user, entry.action_flag, entry.object_repr) == (
        superuser,
        CHANGE,
        "Going Solo Lausanne",
    )
    log = client.get(reverse("admin:admin_logentry_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert log.status_code == 200
    assert "Going Solo Lausanne" in log.text and "root@example.org" in log.text


def test_deactivating_and_deleting_members_from_the_admin_are_logged(client, superuser):
    group = GroupFactory()
    member_of(group, role="owner")
    member, other = member_of(group), member_of(group)
    client.force_login(superuser)
    changelist = reverse("admin:accounts_user_changelist")
    client.post(changelist, {"action": "deactivate", "_selected_action": [member.pk]})
    client.post(
        changelist, {"action": "delete_account_keeping_posts", "_selected_action": [other.pk]}
    )
    assert not User.objects.get(pk=member.pk).is_active
    assert User.objects.get(pk=other.pk).deleted_at is not None
    assert LogEntry.objects.filter(user=superuser, action_flag=CHANGE).count() == 2


def test_the_audit_log_is_read_only_and_for_superusers(client, superuser):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:admin_logentry_changelist")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:admin_logentry_add")).status_code == 403

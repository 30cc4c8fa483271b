from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from goingsolo.groups import services
from goingsolo.groups.models import Group, Invitation, JoinRequest, Membership, Role
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_group_create_makes_the_creator_owner():
    owner = UserFactory()
    group = services.group_create(
        owner=owner,
        name="Going Solo",
        slug="going-solo",
        visibility="closed",
        join_policy="approval",
        description_en="Freelancers.",
        description_fr="Indépendants.",
    )
    assert Membership.objects.get(group=group, user=owner).role == Role.OWNER
    assert Group.objects.get(pk=group.pk).member_count == 1


def test_open_group_join_requires_accepting_the_rules():
    group = GroupFactory(join_policy="open", visibility="public", rules="Be kind.")
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.group_join(group=group, user=user, accept_rules=False)
    assert not Membership.objects.filter(group=group, user=user).exists()
    services.group_join(group=group, user=user, accept_rules=True)
    membership = Membership.objects.get(group=group, user=user)
    assert membership.rules_accepted_at is not None


def test_join_request_is_approved_and_the_applicant_told_in_their_language(
    django_capture_on_commit_callbacks,
):
    group = GroupFactory(join_policy="approval", join_questions=["What do you do?"])
    admin = member_of(group, Role.ADMIN)
    applicant = UserFactory(language="fr", display_name="Camille")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(
            group=group, user=applicant, answers=["Traductrice"], accept_rules=True
        )
    assert request.answers == [{"question": "What do you do?", "answer": "Traductrice"}]
    assert [m.to for m in mail.outbox] == [[admin.email]]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_approve(join_request=request, by=admin)
    assert Membership.objects.filter(group=group, user=applicant).exists()
    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert "Bienvenue" in message.subject
    assert "approuvée" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_refused_applicant_gets_the_reason_by_email(django_capture_on_commit_callbacks):
    group = GroupFactory()
    admin = member_of(group, Role.ADMIN)
    request = services.join_request_create(
        group=group, user=UserFactory(), answers=[], accept_rules=True
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_refuse(
            join_request=request, by=admin, reason="Members are freelancers only."
        )
    assert JoinRequest.objects.get(pk=request.pk).status == "refused"
    assert "Members are freelancers only." in mail.outbox[0].body


def test_join_request_needs_every_answer():
    group = GroupFactory(join_questions=["Where do you work?", "What do you do?"])
    with pytest.raises(ValidationError):
        services.join_request_create(
            group=group, user=UserFactory(), answers=["Lausanne", " "], accept_rules=True
        )
    assert not JoinRequest.objects.exists()


def test_a_second_pending_request_is_refused_with_a_clear_message():
    group = GroupFactory()
    user = UserFactory()
    services.join_request_create(group=group, user=user, answers=[], accept_rules=True)
    with pytest.raises(ValidationError, match="already waiting"):
        services.join_request_create(group=group, user=user, answers=[], accept_rules=True)
    assert JoinRequest.objects.count() == 1


def test_a_member_cannot_approve_requests():
    group = GroupFactory()
    request = services.join_request_create(
        group=group, user=UserFactory(), answers=[], accept_rules=True
    )
    with pytest.raises(PermissionDenied):
        services.join_request_approve(join_request=request, by=member_of(group))
    assert JoinRequest.objects.get(pk=request.pk).status == "pending"


def test_invitation_works_once(django_capture_on_commit_callbacks):
    group = GroupFactory(visibility="secret", join_policy="invitation")
    admin = member_of(group, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            group=group, email="Zoe@Example.org", by=admin, language="fr"
        )
    [message] = mail.outbox
    assert message.to == ["zoe@example.org"]
    assert invitation.token in message.body
    assert "vous invite" in message.subject

    first, second = UserFactory(), UserFactory()
    services.invitation_accept(token=invitation.token, user=first, accept_rules=True)
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(token=invitation.token, user=second, accept_rules=True)
    assert not Membership.objects.filter(group=group, user=second).exists()


def test_expired_invitation_is_refused():
    group = GroupFactory()
    invitation = Invitation.objects.create(
        group=group, email="late@example.org", expires_at=timezone.now() - timedelta(minutes=1)
    )
    user = UserFactory()
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(token=invitation.token, user=user, accept_rules=True)
    assert not Membership.objects.filter(group=group, user=user).exists()
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_admin_changes_roles_below_their_own_only():
    group = GroupFactory()
    admin = member_of(group, Role.ADMIN)
    member = Membership.objects.get(user=member_of(group), group=group)
    services.membership_change_role(membership=member, role=Role.MODERATOR, by=admin)
    assert Membership.objects.get(pk=member.pk).role == Role.MODERATOR
    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=member, role=Role.OWNER, by=admin)
    other_admin = Membership.objects.get(user=member_of(group, Role.ADMIN), group=group)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=other_admin, by=admin)


def test_owner_removes_a_member_and_the_count_follows():
    group = GroupFactory()
    owner = member_of(group, Role.OWNER)
    member = Membership.objects.get(user=member_of(group), group=group)
    services.membership_remove(membership=member, by=owner)
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert Group.objects.get(pk=group.pk).member_count == 1


def test_the_last_owner_cannot_leave():
    group = GroupFactory()
    owner = Membership.objects.get(user=member_of(group, Role.OWNER), group=group)
    with pytest.raises(ValidationError, match="only owner"):
        services.membership_leave(membership=owner)
    member = Membership.objects.get(user=member_of(group), group=group)
    services.membership_leave(membership=member)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_invitation_page_explains_an_expired_or_used_link(client):
    group = GroupFactory()
    expired = Invitation.objects.create(
        group=group, email="a@example.org", expires_at=timezone.now() - timedelta(days=1)
    )
    used = Invitation.objects.create(group=group, email="b@example.org", used_at=timezone.now())
    client.force_login(UserFactory(language="fr"))
    page = client.get(reverse("groups:invitation", args=[expired.token]))
    assert page.status_code == 410 and "Cette invitation a expiré" in page.content.decode()
    page = client.get(reverse("groups:invitation", args=[used.token]))
    assert page.status_code == 410 and "déjà été utilisée" in page.content.decode()
    response = client.post(reverse("groups:invitation", args=[used.token]), {"accept_rules": "on"})
    assert response.status_code == 410
    assert Membership.objects.filter(group=group).count() == 0

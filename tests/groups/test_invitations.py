"""Invitations limited to the invited address: a forwarded link lets nobody else in."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from goingsolo.groups import services
from goingsolo.groups.models import Invitation, Membership, Role
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(visibility="secret", join_policy="invitation")


@pytest.fixture
def admin(group):
    return member_of(group, Role.ADMIN)


def invite(group, admin, django_capture_on_commit_callbacks, **options):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitation_create(
            group=group, email="Zoe@Example.org", by=admin, language="en", **options
        )


def test_an_invitation_for_the_invited_address_only_refuses_another_signed_in_address(
    group, admin, django_capture_on_commit_callbacks
):
    invitation = invite(group, admin, django_capture_on_commit_callbacks, only_invited_address=True)
    someone_else = UserFactory(email="forwarded-to@example.org")
    with pytest.raises(ValidationError, match="for another email address"):
        services.invitation_accept(token=invitation.token, user=someone_else, accept_rules=True)
    assert not Membership.objects.filter(group=group, user=someone_else).exists()
    assert Invitation.objects.get(pk=invitation.pk).used_at is None

    zoe = UserFactory(email="zoe@example.org")
    services.invitation_accept(token=invitation.token, user=zoe, accept_rules=True)
    assert Membership.objects.filter(group=group, user=zoe).exists()


def test_a_verified_second_address_of_the_member_is_theirs(
    group, admin, django_capture_on_commit_callbacks
):
    invitation = invite(group, admin, django_capture_on_commit_callbacks, only_invited_address=True)
    zoe = UserFactory(email="zoe.work@example.org")
    unverified = EmailAddress.objects.create(user=zoe, email="zoe@example.org", verified=False)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=invitation.token, user=zoe, accept_rules=True)
    unverified.verified = True
    unverified.save()
    services.invitation_accept(token=invitation.token, user=zoe, accept_rules=True)
    assert Membership.objects.filter(group=group, user=zoe).exists()


def test_an_open_invitation_still_works_for_whoever_has_the_link(
    group, admin, django_capture_on_commit_callbacks
):
    invitation = invite(group, admin, django_capture_on_commit_callbacks)
    friend = UserFactory(email="friend@example.org")
    services.invitation_accept(token=invitation.token, user=friend, accept_rules=True)
    assert Membership.objects.filter(group=group, user=friend).exists()


def test_the_invitation_form_offers_the_limit_and_the_page_refuses_in_the_members_language(
    client, group, admin
):
    client.force_login(admin)
    client.post(
        reverse("groups:invitations", args=[group.slug]),
        {"email": "zoe@example.org", "language": "fr", "only_invited_address": "on"},
    )
    invitation = Invitation.objects.get()
    assert invitation.only_invited_address
    assert (
        "only for this address" in client.get(reverse("groups:invitations", args=[group.slug])).text
    )

    client.force_login(UserFactory(email="other@example.org", language="fr"))
    url = invitation.get_absolute_url()
    with translation.override("fr"):
        page = client.get(url, headers={"accept-language": "fr"})
        assert page.status_code == 403
        assert "Cette invitation est pour une autre adresse e-mail" in page.text
        refused = client.post(url, {"accept_rules": "on"}, headers={"accept-language": "fr"})
    assert refused.status_code == 403
    assert group.memberships.count() == 1

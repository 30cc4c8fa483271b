import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from goingsolo.accounts.models import User
from goingsolo.core import scheduler
from goingsolo.demo.content.people import DEMO_PASSWORD, LOGINS, STEPHANIE
from goingsolo.demo.loader import login_lines
from goingsolo.discussions import services as discussions
from goingsolo.groups.models import Group, Invitation, JoinRequest, Membership, Role
from goingsolo.groups.services import membership_remove
from goingsolo.groups.trust import TRUSTED_AFTER, TrustLevel, trust_level
from goingsolo.mail.models import OutboundEmail
from goingsolo.mail.outbound.digests import queue_digests
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run_demo(*args):
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return (
        User.objects.count(),
        Group.objects.count(),
        Membership.objects.count(),
        JoinRequest.objects.count(),
        Invitation.objects.count(),
        EmailAddress.objects.count(),
    )


def test_demo_fills_the_closed_bilingual_group_with_members_around_the_world():
    run_demo()
    group = Group.objects.get(slug="going-solo")
    assert (group.visibility, group.join_policy) == ("closed", "approval")
    assert group.description_en and group.description_fr and group.rules
    assert len(group.join_questions) == 2
    members = User.objects.filter(memberships__group=group)
    assert members.count() >= 45
    assert group.member_count == members.count()
    assert members.values("country").distinct().count() >= 10
    assert members.values("time_zone").distinct().count() >= 10
    assert set(members.values_list("language", flat=True)) == {"en", "fr"}
    assert members.filter(open_to_work=True).exists()
    assert all(
        "example." in website
        for website in members.exclude(website="").values_list("website", flat=True)
    )


def test_demo_groups_have_the_right_visibility_and_members():
    run_demo()
    groups = {group.slug: group for group in Group.objects.all()}
    assert groups.keys() == {"going-solo", "going-solo-leeds", "solocamp-lausanne-organisation"}
    assert (groups["going-solo-leeds"].visibility, groups["going-solo-leeds"].join_policy) == (
        "public",
        "open",
    )
    secret = groups["solocamp-lausanne-organisation"]
    assert (secret.visibility, secret.join_policy) == ("secret", "invitation")
    for group in groups.values():
        assert group.member_count == group.memberships.count() > 1


def test_demo_logins_have_their_roles():
    run_demo()

    def role(email, slug="going-solo"):
        membership = Membership.objects.filter(user__email=email, group__slug=slug).first()
        return membership and membership.role

    assert role("stephanie@goingsolo.example") == Role.OWNER
    assert role("oliver@goingsolo.example") == Role.ADMIN
    assert role("nathalie@goingsolo.example") == Role.MODERATOR
    assert role("marco@goingsolo.example") == Role.MEMBER
    assert role("lea@goingsolo.example") is None
    assert role("oliver@goingsolo.example", "going-solo-leeds") == Role.OWNER
    pending = JoinRequest.objects.filter(group__slug="going-solo", status="pending")
    assert pending.count() >= 2
    assert all(len(request.answers) == 2 for request in pending)
    invitation = Invitation.objects.get()
    assert invitation.email == "marco@goingsolo.example" and invitation.is_usable


def test_every_demo_login_uses_the_demo_password_and_a_verified_address():
    run_demo()
    for _role, email in LOGINS:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == User.objects.count()


def test_demo_prints_its_progress_and_the_logins():
    output = run_demo()
    assert "Members 12/" in output
    assert "Memberships" in output
    for line in login_lines():
        assert line in output
    assert "stephanie@goingsolo.example" in output
    assert DEMO_PASSWORD in output


def test_demo_refuses_to_mix_with_real_members_unless_forced():
    UserFactory(email="alice@example.org")
    with pytest.raises(CommandError, match="--force"):
        run_demo()
    assert not Group.objects.exists()
    assert User.objects.count() == 1

    run_demo("--force")
    assert Group.objects.filter(slug="going-solo").exists()


def test_demo_twice_adds_nothing():
    run_demo()
    before = counts()
    output = run_demo()
    assert "already loaded" in output
    assert counts() == before


def test_forced_demo_adds_only_what_is_missing():
    run_demo()
    before = counts()
    User.objects.get(email="lea@goingsolo.example").delete()
    membership_remove(
        membership=Membership.objects.get(
            user__email="marco@goingsolo.example", group__slug="going-solo"
        ),
        by=User.objects.get(email="stephanie@goingsolo.example"),
    )

    run_demo("--force")
    assert counts() == before
    going_solo = Group.objects.get(slug="going-solo")
    assert going_solo.memberships.filter(user__email="marco@goingsolo.example").exists()
    assert going_solo.member_count == going_solo.memberships.count()


def test_demo_emails_nobody_at_once_or_in_the_first_digests(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_demo()
        an_hour_later = timezone.now() + timedelta(hours=1)
        for frequency in ("daily", "weekly"):
            queue_digests(frequency=frequency, now=an_hour_later)
    assert not OutboundEmail.objects.exists()


def test_the_demos_history_counts_as_mailed_so_the_first_check_sends_no_digest(settings):
    """The worker's first check on a fresh demo: its past is no news, so `make run` does
    not print a digest for every member whose morning has come; what is posted next is."""
    settings.GOINGSOLO_DIGEST_HOUR = 0  # every member's morning has come
    run_demo()
    scheduler.run_due(names=["digests-daily", "digests-weekly"])
    assert not OutboundEmail.objects.filter(kind__startswith="digest").exists()

    group = Group.objects.get(slug="going-solo")
    author = User.objects.get(email=STEPHANIE.email)
    discussions.thread_start(
        group=group,
        author=author,
        title="After the demo",
        body="Something new",
    )
    tomorrow = timezone.now() + timedelta(days=1)
    scheduler.run_due(now=tomorrow, names=["digests-daily"])
    digests = OutboundEmail.objects.filter(kind="digest_daily").select_related("part")
    assert digests and all("After the demo" in digest.part.text for digest in digests)


def test_the_demos_long_standing_members_are_trusted_and_newcomers_are_not():
    run_demo()
    now = timezone.now()
    memberships = Membership.objects.filter(group__slug="going-solo", role=Role.MEMBER)
    old = memberships.filter(joined_at__lte=now - TRUSTED_AFTER)
    recent = memberships.filter(joined_at__gt=now - TRUSTED_AFTER, approvals=0)
    assert old.exists()
    assert all(trust_level(membership) == TrustLevel.TRUSTED for membership in old)
    assert all(trust_level(membership) < TrustLevel.TRUSTED for membership in recent)

"""The demo's groups, their members, the requests waiting for an answer and an invitation:
goingsolo/demo/content/groups.py, through goingsolo/groups/services.py."""

from contextlib import contextmanager
from datetime import timedelta

from goingsolo.demo.content.groups import GROUPS, INVITATIONS, JOIN_REQUESTS
from goingsolo.groups.models import (
    Group,
    Invitation,
    JoinPolicy,
    JoinRequest,
    Membership,
    Visibility,
)
from goingsolo.groups.services import group_create, group_join, group_update, membership_change_role
from goingsolo.groups.trust import TRUSTED_AFTER, membership_vouch

# How long an invitation of the demo stays usable after it was sent.
INVITATION_DAYS = 14


def add_groups(demo):
    """The three groups, each with its owner."""
    for number, plan in enumerate(GROUPS, start=1):
        group = Group.objects.filter(slug=plan.slug).first()
        if group is None:
            owner = demo.users[plan.owner]
            group = group_create(
                owner=owner,
                name=plan.name,
                slug=plan.slug,
                visibility=plan.visibility,
                join_policy=plan.join_policy,
                description_en=plan.description_en,
                description_fr=plan.description_fr,
                rules=plan.rules,
                join_questions=plan.join_questions,
            )
            # group_create dates the group and its owner's membership now; the demo's are
            # years old (not before the owner had an account).
            created = max(demo.now - timedelta(days=plan.created_days_ago), owner.date_joined)
            Group.objects.filter(pk=group.pk).update(created_at=created)
            Membership.objects.filter(group=group, user=owner).update(
                joined_at=created, rules_accepted_at=created
            )
            group.created_at = created
        demo.groups[plan.slug] = group
        demo.progress(number, len(GROUPS))


@contextmanager
def _open_to_all(group, *, by):
    """GROUP public and open while the block runs, then as it was (BY: its owner).

    `group_join` is the one way into a group that emails nobody: a request to join emails
    the admins and its approval the applicant, an invitation emails the person invited.
    `group_update` saves the whole row: GROUP must be the instance `group_join` counts
    members on.
    """
    was = {"visibility": group.visibility, "join_policy": group.join_policy}
    group_update(group=group, by=by, visibility=Visibility.PUBLIC, join_policy=JoinPolicy.OPEN)
    yield
    group_update(group=group, by=by, **was)


def add_memberships(demo):
    """The members of each group, with their roles and the day they joined."""
    total = sum(len(plan.members) for plan in GROUPS)
    done = 0
    for plan in GROUPS:
        group = demo.groups[plan.slug]
        rng = demo.random(f"memberships:{plan.slug}")
        present = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
        joining = []
        for key in plan.members:
            user = demo.users[key]
            # Drawn for everyone, so the dates do not depend on who is already there.
            offset = timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 1440))
            if user.pk not in present:
                joined = min(max(user.date_joined, group.created_at) + offset, demo.now)
                joining.append((key, user, joined))
        if joining:
            owner = demo.users[plan.owner]
            with _open_to_all(group, by=owner):
                for key, user, joined in joining:
                    membership = group_join(group=group, user=user, accept_rules=True)
                    if key in plan.roles:
                        membership_change_role(
                            membership=membership, role=plan.roles[key], by=owner
                        )
                    # group_join dates the membership now; the demo's members joined over
                    # the years.
                    Membership.objects.filter(pk=membership.pk).update(
                        joined_at=joined, rules_accepted_at=joined
                    )
        done += len(plan.members)
        demo.progress(done, total)


def trust_long_standing_members(demo):
    """Members who joined a month ago or more are trusted: the demo's history happened
    before the instance counted anyone's contributions."""
    memberships = Membership.objects.filter(
        group__in=demo.groups.values(), joined_at__lte=demo.now - TRUSTED_AFTER
    )
    for number, membership in enumerate(memberships, start=1):
        membership_vouch(membership=membership)
        demo.progress(number, len(memberships))


def add_join_requests(demo):
    """Applicants waiting for an answer, with what they answered.

    Written as `join_request_create` writes them, without the service: it emails the
    group's admins about each request, and the demo emails nobody.
    """
    rng = demo.random("join-requests")
    for number, plan in enumerate(JOIN_REQUESTS, start=1):
        group, user = demo.groups[plan.group], demo.users[plan.applicant]
        asked = demo.now - timedelta(days=rng.randint(0, 5), minutes=rng.randint(0, 1440))
        waiting = JoinRequest.objects.filter(
            group=group, user=user, status=JoinRequest.Status.PENDING
        ).exists()
        if not waiting and not Membership.objects.filter(group=group, user=user).exists():
            JoinRequest.objects.create(
                group=group,
                user=user,
                answers=[
                    {"question": question, "answer": answer}
                    for question, answer in zip(group.join_questions, plan.answers, strict=True)
                ],
                created_at=asked,
            )
        demo.progress(number, len(JOIN_REQUESTS))


def add_invitations(demo):
    """Invitations not used yet.

    Written as `invitation_create` writes them, without the service: it emails the
    invitation link, and the demo emails nobody.
    """
    rng = demo.random("invitations")
    for number, plan in enumerate(INVITATIONS, start=1):
        group, email = demo.groups[plan.group], demo.users[plan.invited].email
        sent = demo.now - timedelta(days=2, minutes=rng.randint(0, 1440))
        if not Invitation.objects.filter(group=group, email=email).exists():
            Invitation.objects.create(
                group=group,
                email=email,
                invited_by=demo.users[plan.invited_by],
                created_at=sent,
                expires_at=sent + timedelta(days=INVITATION_DAYS),
            )
        demo.progress(number, len(INVITATIONS))

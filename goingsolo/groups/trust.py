"""How far a group trusts a member, and what each level may do: defined once, for every
feature (the table is `ALLOWED`, written out in docs/moderation.md).

A member starts *new*; time in the group and contributions that stood make them a *member*,
then *trusted*. Moderators, admins and owners are always trusted. Features ask `allowed(…)`
what a member may do rather than comparing levels themselves.

The level is computed from three numbers on the Membership row, so asking costs no query:
- how long ago the member joined (`joined_at`);
- `accepted_contributions`: contributions that stand: a post published (on the web or by
  email) or approved, a wiki edit published at once or approved;
- `approvals`: contributions a moderator approved from a review queue.

Features count contributions with `record_contribution()`.
"""

from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .models import Membership, Role


class TrustLevel(IntEnum):
    NEW = 0
    MEMBER = 1
    TRUSTED = 2

    @property
    def label(self):
        return TRUST_LABELS[self]


TRUST_LABELS = {
    TrustLevel.NEW: pgettext_lazy("trust level", "New"),
    TrustLevel.MEMBER: pgettext_lazy("trust level", "Member"),
    TrustLevel.TRUSTED: pgettext_lazy("trust level", "Trusted"),
}

# MEMBER: a few days in the group and a few contributions that stood, or one approval.
MEMBER_AFTER = timedelta(days=3)
MEMBER_CONTRIBUTIONS = 3
MEMBER_APPROVALS = 1
# TRUSTED: a month in the group and ten contributions that stood, or three approvals
# (a moderator has looked at their work three times and let it through).
TRUSTED_AFTER = timedelta(days=30)
TRUSTED_CONTRIBUTIONS = 10
TRUSTED_APPROVALS = 3


@dataclass(frozen=True)
class Allowed:
    """What a member of one trust level may do. None for a number: no limit."""

    # External links one post or one wiki edit may add. More: a wiki edit is refused
    # (the member is told how to go on); a post is held for review as suspect.
    links_per_post: int | None
    # Wiki edits saved in an hour.
    wiki_edits_per_hour: int | None
    # Attachments on posts (each is checked by content whatever the level).
    attachments: bool
    # Posting by email, to the group's address.
    post_by_email: bool
    # Posts show at once in a group that holds new members' posts for approval.
    posts_without_approval: bool
    # Wiki edits show at once rather than waiting for a moderator.
    wiki_edits_without_review: bool
    # Inviting people by email (the group's admins, who are always trusted).
    invitations: bool


# The table of docs/moderation.md, "What each level may do": keep both the same.
ALLOWED = {
    TrustLevel.NEW: Allowed(
        links_per_post=2,
        wiki_edits_per_hour=10,
        attachments=True,
        post_by_email=True,
        posts_without_approval=False,
        wiki_edits_without_review=False,
        invitations=False,
    ),
    TrustLevel.MEMBER: Allowed(
        links_per_post=None,
        wiki_edits_per_hour=None,
        attachments=True,
        post_by_email=True,
        posts_without_approval=True,
        wiki_edits_without_review=False,
        invitations=False,
    ),
    TrustLevel.TRUSTED: Allowed(
        links_per_post=None,
        wiki_edits_per_hour=None,
        attachments=True,
        post_by_email=True,
        posts_without_approval=True,
        wiki_edits_without_review=True,
        invitations=True,
    ),
}


def trust_level(membership, *, now=None):
    """The TrustLevel of MEMBERSHIP (None, for someone who is not a member: NEW)."""
    if membership is None:
        return TrustLevel.NEW
    if membership.has_role(Role.MODERATOR):
        return TrustLevel.TRUSTED
    age = (now or timezone.now()) - membership.joined_at
    if membership.approvals >= TRUSTED_APPROVALS or (
        age >= TRUSTED_AFTER and membership.accepted_contributions >= TRUSTED_CONTRIBUTIONS
    ):
        return TrustLevel.TRUSTED
    if membership.approvals >= MEMBER_APPROVALS or (
        age >= MEMBER_AFTER and membership.accepted_contributions >= MEMBER_CONTRIBUTIONS
    ):
        return TrustLevel.MEMBER
    return TrustLevel.NEW


def allowed(membership, *, now=None):
    """What MEMBERSHIP's member may do (an `Allowed` row of the table)."""
    return ALLOWED[trust_level(membership, now=now)]


def is_trusted(membership, *, now=None):
    return trust_level(membership, now=now) >= TrustLevel.TRUSTED


def record_contribution(*, group_id, user_id, approved=False):
    """Counts one accepted contribution of USER_ID in GROUP_ID; APPROVED when a moderator
    approved it from a review queue. Call it inside the service's transaction.

    Side effects: one UPDATE of the membership row (none when there is no membership).
    """
    changes = {"accepted_contributions": F("accepted_contributions") + 1}
    if approved:
        changes["approvals"] = F("approvals") + 1
    Membership.objects.filter(group_id=group_id, user_id=user_id).update(**changes)


@transaction.atomic
def membership_vouch(*, membership):
    """Makes MEMBERSHIP's member trusted, as a moderator's approvals would: for members the
    group has known long before the instance counted contributions (an imported archive,
    the demo). Permissions are the caller's.

    Side effects: one UPDATE of the membership row.
    """
    Membership.objects.filter(pk=membership.pk).update(
        approvals=Greatest(F("approvals"), TRUSTED_APPROVALS)
    )
    membership.refresh_from_db(fields=["approvals"])
    return membership

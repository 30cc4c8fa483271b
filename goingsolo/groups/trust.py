"""How far a group trusts a member: defined once, for every feature.

A member starts *new*; time in the group and contributions that stood make them *basic*,
then *trusted*. Moderators, admins and owners are always trusted. Features ask here and
decide what each level may do (the wiki holds edits below TRUSTED for review and limits
NEW members; discussions may hold first posts the same way).

The level is computed from three numbers on the Membership row, so asking costs no query:
- how long ago the member joined (`joined_at`);
- `accepted_contributions`: contributions that stand — an edit published at once or
  approved, a post that was not removed;
- `approvals`: contributions a moderator approved from a review queue.

Features count contributions with `record_contribution()`.
"""

from datetime import timedelta
from enum import IntEnum

from django.db.models import F
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .models import Membership, Role


class TrustLevel(IntEnum):
    NEW = 0
    BASIC = 1
    TRUSTED = 2

    @property
    def label(self):
        return TRUST_LABELS[self]


TRUST_LABELS = {
    TrustLevel.NEW: pgettext_lazy("trust level", "New"),
    TrustLevel.BASIC: pgettext_lazy("trust level", "Basic"),
    TrustLevel.TRUSTED: pgettext_lazy("trust level", "Trusted"),
}

# BASIC: a few days in the group and a few contributions that stood, or one approval.
BASIC_AFTER = timedelta(days=3)
BASIC_CONTRIBUTIONS = 3
BASIC_APPROVALS = 1
# TRUSTED: a month in the group and ten contributions that stood, or three approvals
# (a moderator has looked at their work three times and let it through).
TRUSTED_AFTER = timedelta(days=30)
TRUSTED_CONTRIBUTIONS = 10
TRUSTED_APPROVALS = 3


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
    if membership.approvals >= BASIC_APPROVALS or (
        age >= BASIC_AFTER and membership.accepted_contributions >= BASIC_CONTRIBUTIONS
    ):
        return TrustLevel.BASIC
    return TrustLevel.NEW


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

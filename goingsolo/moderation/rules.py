"""Who may act from the review queue, on top of the group's rules (`groups/rules.py`).

Moderators act on members below their role (`groups.rules.can_act_on`). Instance admins
(`groups.rules.is_instance_admin`) rank above every group role: they act in every group
and on every member but themselves and other instance admins.
"""

from goingsolo.groups import rules
from goingsolo.groups.models import Membership

is_instance_admin = rules.is_instance_admin


def _membership(group, user):
    if user is None:
        return None
    return Membership.objects.filter(group=group, user=user).first()


def may_moderate(user, group):
    return rules.can(user, rules.Action.MODERATE, group)


def may_act_on(user, group, member):
    """Whether USER, who may moderate GROUP, may act on MEMBER (None: nobody in particular)."""
    if is_instance_admin(user):
        return member is None or (member.pk != user.pk and not is_instance_admin(member))
    if member is None:
        return True
    return rules.can_act_on(_membership(group, user), _membership(group, member))

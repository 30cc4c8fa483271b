"""Who may do what with events, on top of the group's rules (goingsolo/groups/rules.py).

- See an event, its agenda, speakers and calendar: whoever may read the group's content.
- Register (RSVP) and answer an interest check: whoever may post in the group (members).
- Create events and open interest checks, see the reach of a city: moderators and admins.
- Organise an event (edit it, cancel and reinstate it, its agenda, attendees, CSV export,
  check-in, messages): its creator while they may still post in the group, and the
  group's admins.
- Delete an event: the group's admins; its creator (as organiser) only while nobody else
  is registered (going, waiting or interested) — past that, people count on it: cancel it.
- Organise an interest check (turn it into an event, close it): its creator and admins.
- See an event's online link: people with a seat, and its organisers.
"""

from goingsolo.groups import rules as group_rules
from goingsolo.groups.rules import Action

from .models import RegistrationStatus

UNSET = group_rules.UNSET


def can_view(user, group, membership=UNSET):
    return group_rules.can(user, Action.VIEW_CONTENT, group, membership)


def can_register(user, group, membership=UNSET):
    return group_rules.can(user, Action.POST, group, membership)


def can_create(user, group, membership=UNSET):
    return group_rules.can(user, Action.MODERATE, group, membership)


def can_see_reach(user, group, membership=UNSET):
    return can_create(user, group, membership)


def _is_admin(user, group, membership):
    return group_rules.can(user, Action.ADMINISTER, group, membership)


def _creator_or_admin(user, thing, may_still, membership):
    """USER is an admin of THING's group, or created THING and MAY_STILL act in the group."""
    if user is None or not user.is_authenticated:
        return False
    if _is_admin(user, thing.group, membership):
        return True
    return thing.created_by_id == user.pk and may_still(user, thing.group, membership)


def can_organise(user, event, membership=UNSET):
    return _creator_or_admin(user, event, can_register, membership)


def can_delete(user, event, membership=UNSET):
    if not can_organise(user, event, membership):
        return False
    if _is_admin(user, event.group, membership):
        return True
    others = event.registrations.exclude(user=user).exclude(status=RegistrationStatus.NOT_GOING)
    return not others.exists()


def can_organise_check(user, check, membership=UNSET):
    return _creator_or_admin(user, check, can_create, membership)


def can_see_online_link(user, event, registration=None, membership=UNSET):
    if registration is not None and registration.has_seat:
        return True
    return can_organise(user, event, membership)


def visible_groups_q(user, prefix=""):
    """Groups whose events USER may see in a list (public groups and their own)."""
    return group_rules.content_visible_groups_q(user, prefix)

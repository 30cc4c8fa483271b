"""Who may do what at a barcamp, on top of the events' rules (goingsolo/events/rules.py),
which stand on the group's (a closed or secret group's barcamp is seen by its members only;
its pages answer 404 to outsiders, like the group).

- See the proposals, the published grid, the board, the recap: whoever may see the event.
- Propose sessions and say which sessions they want to attend: registered participants
  (a seat: "going") who may still post in the group; organisers too.
- Facilitate a session: registered participants.
- Manage rooms, slots and the grid (generate, move, lock, publish, re-plan), and enter
  proposals and wishes for people at the wall: the event's organisers.
- Edit a session and say which slots they cannot make: its facilitators and organisers.
"""

from goingsolo.events import rules as event_rules
from goingsolo.events.models import Registration, RegistrationStatus

UNSET = event_rules.UNSET


def can_view(user, event, membership=UNSET):
    return event_rules.can_view(user, event.group, membership)


def can_organise(user, event, membership=UNSET):
    return event_rules.can_organise(user, event, membership)


def is_participant(user, event):
    """USER has a seat at EVENT."""
    if user is None or not user.is_authenticated:
        return False
    return Registration.objects.filter(
        event=event, user=user, status=RegistrationStatus.GOING
    ).exists()


def can_take_part(user, event, membership=UNSET):
    """USER may propose sessions and wish: a participant who may still post, or an organiser."""
    if user is None or not user.is_authenticated or event.is_cancelled:
        return False
    if can_organise(user, event, membership):
        return True
    return event_rules.can_register(user, event.group, membership) and is_participant(user, event)


def can_edit_session(user, session, membership=UNSET):
    if user is None or not user.is_authenticated:
        return False
    if can_organise(user, session.event, membership):
        return True
    return session.facilitators.filter(pk=user.pk).exists()

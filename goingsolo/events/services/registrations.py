"""Going, interested, not going: a member's registration, the waiting list, and RSVP by
email. Every change runs under the event's lock (`shared.locked_event`), where the seats
are counted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from goingsolo.groups.models import Group

from .. import rules
from ..models import CalendarFeed, Event, Registration, RegistrationStatus
from ..rsvp import rsvp_word
from ..text import one_line
from ..validators import MAX_ANSWER_CHARS
from .shared import REMINDER_AHEAD, email_on_commit, locked_event, recount, require

GOING = RegistrationStatus.GOING
WAITLISTED = RegistrationStatus.WAITLISTED
# The email that confirms each new status (`events/emails.py`); not going, only to someone
# who gave up a place.
_CONFIRMATIONS = {
    GOING: "event_registered",
    WAITLISTED: "event_waitlisted",
    RegistrationStatus.INTERESTED: "event_interested",
}


def _clean_answers(event, answers):
    """ANSWERS ({position: text}) with the questions as asked, in the active language."""
    answers = answers or {}
    cleaned = []
    for index, question in enumerate(event.questions):
        answer = one_line(answers.get(index, answers.get(str(index), "")))
        if len(answer) > MAX_ANSWER_CHARS:
            raise ValidationError(
                {
                    "answers": _("An answer has at most %(limit)s characters.")
                    % {"limit": number_format(MAX_ANSWER_CHARS, force_grouping=True)}
                }
            )
        cleaned.append({"question": question, "answer": answer})
    return cleaned


def promote_waitlisted(event):
    """Gives freed seats of EVENT (locked) to the waiting list, first come first served;
    returns the registrations that got one. A cancelled event gives none: its freed seats
    go to the waiting list if it is reinstated.
    Side effects on commit: each promoted member is emailed (`event_seat_freed`)."""
    promoted = []
    going = Registration.objects.filter(event=event, status=GOING).count()
    while not event.is_cancelled and (event.capacity is None or going < event.capacity):
        first = (
            Registration.objects.filter(event=event, status=WAITLISTED)
            .order_by("waitlisted_at", "pk")
            .first()
        )
        if first is None:
            break
        now = timezone.now()
        first.status = GOING
        first.updated_at = now
        if event.starts_at - now <= REMINDER_AHEAD:
            first.reminder_sent_at = now  # the news of the seat stands for the reminder
        first.save(update_fields=["status", "updated_at", "reminder_sent_at"])
        going += 1
        promoted.append(first)
        email_on_commit(first, "event_seat_freed")
    recount(event)
    return promoted


def _refuse_going_while_closed(event, now):
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(_("Registration has not opened yet."))
    if now >= event.registration_closes:
        raise ValidationError(_("Registration for this event is closed."))


def set_status(event, user, status, *, answers=None, source, force=False):
    """Registers USER for EVENT (locked by the caller) with STATUS; returns
    (registration, what changed: None or the email to send). FORCE: going whatever the
    registration times say (an interest check's voters)."""
    now = timezone.now()
    registration = Registration.objects.filter(event=event, user=user).first()
    previous = registration.status if registration else None
    # Not going stays possible on a cancelled event: it harms nobody, and should the event
    # be reinstated, the place is free for someone else.
    if event.is_cancelled and status != RegistrationStatus.NOT_GOING:
        raise ValidationError(_("This event is cancelled: registration is closed."))
    if event.is_past:
        raise ValidationError(_("This event is over."))
    if status in (GOING, WAITLISTED):
        if registration is not None and registration.holds_place:
            if answers is not None:
                registration.answers = _clean_answers(event, answers)
                registration.save(update_fields=["answers"])
            return registration, None
        if not force:
            _refuse_going_while_closed(event, now)
        taken = Registration.objects.filter(event=event, status=GOING).count()
        status = GOING if event.capacity is None or taken < event.capacity else WAITLISTED
    elif status == RegistrationStatus.INTERESTED and event.has_started:
        raise ValidationError(_("This event has started."))
    if previous == status:
        return registration, None
    if registration is None:
        registration = Registration(event=event, user=user, created_at=now, source=source)
    registration.status = status
    registration.updated_at = now
    if answers is not None:
        registration.answers = _clean_answers(event, answers)
    registration.waitlisted_at = now if status == WAITLISTED else None
    if status == GOING and event.starts_at - now <= REMINDER_AHEAD:
        # The confirmation arrives inside the reminder window: it stands for the reminder.
        registration.reminder_sent_at = now
    registration.save()
    email = _confirmation(status, previous)
    if event.is_cancelled:
        # The page says it is noted; the usual email would give the seat to someone else.
        email = None
    if previous == GOING and status != GOING:
        promote_waitlisted(event)
    else:
        recount(event)
    return registration, email


def _confirmation(status, previous):
    """The email that confirms STATUS (`events/emails.py`), from PREVIOUS."""
    if status == RegistrationStatus.NOT_GOING:
        return "event_cancelled" if previous in (GOING, WAITLISTED) else None
    return _CONFIRMATIONS[status]


@transaction.atomic
def registration_set(
    *, event, user, status, answers=None, source=Registration.Source.WEB, notify=True
):
    """USER says they are going, interested or not going to EVENT; returns the Registration.

    Going takes a seat when one is left, else a place on the waiting list (the returned
    status says which). Not going after having a seat gives the seat to the first on the
    waiting list. ANSWERS: {question index: text} for the event's questions.
    Refused (ValidationError) before registration opens, after it closes, after the event,
    and for a cancelled or deleted event (saying not going to a cancelled event is allowed).
    Side effects on commit: a confirmation email in the member's language (with the
    calendar file when they have a seat); an email to whoever gets a freed seat.
    """
    event = locked_event(event)
    require(
        rules.can_register(user, event.group),
        _("Only members of the group can register for its events."),
    )
    if status not in RegistrationStatus.values:
        raise ValidationError(_("Choose going, interested or not going."))
    registration, email = set_status(event, user, status, answers=answers, source=source)
    if email and notify:
        email_on_commit(registration, email)
    return registration


def registration_cancel(*, registration):
    """The member of REGISTRATION is not going any more (the link in an email); see
    `registration_set` for the side effects."""
    return registration_set(
        event=registration.event, user=registration.user, status=RegistrationStatus.NOT_GOING
    )


@transaction.atomic
def registrations_withdraw(*, group, user):
    """USER is no longer a member of GROUP (left, removed, account deleted): they are not
    going to its events that have not ended, so the online links they saw are withdrawn
    with their seats. Past events keep their registrations (who came is history).
    Returns the registrations changed.
    Side effects on commit: an email to whoever gets a freed seat (`promote_waitlisted`);
    the member is not emailed (they know they left).
    """
    changed = []
    registrations = (
        Registration.objects.filter(
            event__group=group, event__ends_at__gt=timezone.now(), user=user
        )
        .exclude(status=RegistrationStatus.NOT_GOING)
        .values_list("event_id", flat=True)
    )
    for event in Event.objects.filter(pk__in=list(registrations)).order_by("pk"):
        registration, _email = set_status(
            locked_event(event), user, RegistrationStatus.NOT_GOING, source=Registration.Source.WEB
        )
        changed.append(registration)
    return changed


@transaction.atomic
def account_registrations_end(*, user):
    """USER deletes their account: what `registrations_withdraw` does in every group
    they still hold a place in (leaving their groups did it for those), and the secret
    address of their calendar goes. Side effects: those of `registrations_withdraw`."""
    groups = (
        Registration.objects.filter(user=user, event__ends_at__gt=timezone.now())
        .exclude(status=RegistrationStatus.NOT_GOING)
        .values_list("event__group", flat=True)
        .distinct()
    )
    for group in Group.objects.filter(pk__in=list(groups)):
        registrations_withdraw(group=group, user=user)
    CalendarFeed.objects.filter(user=user).delete()


def rsvp_from_reply(*, thread, user, text):
    """An emailed reply to an event's announcement THREAD that starts with "yes"/"oui"
    registers USER, "no"/"non" cancels (`events/rsvp.py`: case, accents and punctuation
    do not matter).

    Returns the Registration, or None when THREAD is no event's announcement or TEXT is
    no RSVP (the reply is then an ordinary post). Raises PermissionDenied when USER may
    not register and ValidationError when registration is closed (the event is cancelled,
    deleted, over…), like the web, with the message in USER's language.
    Side effects: those of `registration_set` (the same confirmation email).
    """
    status = rsvp_word(text)
    if status is None or thread is None:
        return None
    # A deleted event's thread still announced it: a "yes" is refused, not posted.
    event = Event.all_objects.filter(announcement_thread=thread).first()
    if event is None:
        return None
    with translation.override(user.preferred_language):
        return registration_set(
            event=event, user=user, status=status, source=Registration.Source.EMAIL
        )

"""The emails of events, built with the one path (goingsolo/core/emails.py).

Messages (events/templates/emails/NAME_subject.txt, NAME_body.txt, NAME_body.html):
event_registered, event_waitlisted, event_seat_freed, event_interested, event_cancelled
(the member is not going any more), event_preregistered, event_reminder, event_message,
event_changed (a new time, place or online link), event_cancelled_by_organiser,
event_reinstated, event_threshold_reached; for interest checks, check_reminder (it closes
soon, with one-click answers) and check_answered (an answer by email, confirmed).
Those that give a seat, or change it, carry the event's calendar file (event.ics); the
news of a cancellation carries one that cancels it (METHOD:CANCEL).
Sending stores them in the outbound queue (kind "event"), keyed so that a job run again
queues nothing more.
"""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from goingsolo.accounts.models import User
from goingsolo.core.emails import Kind, build_email

from . import calendars
from .answer_links import answer_urls
from .models import EventMessage, InterestAnswer, InterestCheck, Registration
from .selectors import waitlist_position

WITH_CALENDAR = {
    "event_registered",
    "event_seat_freed",
    "event_preregistered",
    "event_reminder",
    "event_changed",
    "event_reinstated",
}
NEEDS_SEAT = {"event_registered", "event_seat_freed", "event_reminder"}
CANCELLED = "event_cancelled_by_organiser"
CANCEL_SALT = "goingsolo.events.cancel"


def cancel_token(registration):
    """Signed with the member's private links key ("k"), so "reset my private links"
    revokes it (`accounts.services.private_links_reset`)."""
    return signing.dumps(
        {
            "r": registration.pk,
            "u": registration.user_id,
            "k": registration.user.private_links_key,
        },
        salt=CANCEL_SALT,
    )


def registration_from_token(token):
    """The Registration a cancel link names, or None for a bad or foreign token, one the
    member revoked (a link signed before the key was drawn has none: "" matches until
    then), and one of a group the member has left."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return (
        Registration.objects.filter(
            pk=data.get("r"),
            user_id=data.get("u"),
            user__private_links_key=data.get("k", ""),
            event__group__memberships__user_id=data.get("u"),
        )
        .select_related("event", "event__group", "user")
        .first()
    )


def _absolute(path):
    return settings.SITE_URL + path


def _email_for(member, name, context, *, group, idempotency_key):
    """Message NAME with CONTEXT for MEMBER, in their language and time zone, from GROUP."""
    return build_email(
        name,
        context,
        to=member.email,
        language=member.preferred_language,
        time_zone=member.time_zone,
        from_name=group.name,
        kind=Kind.EVENT,
        member=member,
        idempotency_key=idempotency_key,
    )


def _still_news(name, registration):
    """Whether message NAME still tells the truth when its job runs. A cancelled (or
    deleted) event sends only the news of its cancellation and its organisers' own
    messages; a reinstated one, no news of a cancellation."""
    event = registration.event
    if name == CANCELLED:
        return event.is_cancelled and not registration.is_not_going
    if event.is_deleted:
        return False
    if event.is_cancelled:
        return name == "event_message"
    return True


def _changes_context(extra):
    """What the news of a change says was before (EXTRA, as `services` queued it)."""
    return {
        "changes": extra.get("changes", []),
        "previous_starts_at": datetime.fromisoformat(extra["previous_starts_at"]),
        "previous_ends_at": datetime.fromisoformat(extra["previous_ends_at"]),
        "previous_time_zone": extra["previous_time_zone"],
        "previous_place": extra.get("previous_place", ""),
    }


def send_registration_email(*, registration_id, name, extra, idempotency_key=""):
    """Queues message NAME about one registration, if it is still news. IDEMPOTENCY_KEY:
    the job's (core.emails.job_key); the same key queues one email only."""
    registration = (
        Registration.objects.filter(pk=registration_id, user__is_active=True)
        .select_related("event", "event__group", "event__cancelled_by", "user")
        .first()
    )
    if registration is None or not _still_news(name, registration):
        return
    # News of a seat (or a reminder of it) that was given up before the job ran is not sent.
    if name in NEEDS_SEAT and not registration.has_seat:
        return
    if name == "event_preregistered" and not registration.holds_place:
        return
    user, event = registration.user, registration.event
    context = {
        "event": event,
        "registration": registration,
        "recipient_name": user.name,
        "group_name": event.group.name,
        "event_url": _absolute(event.get_absolute_url()),
        "cancel_url": _absolute(reverse("events:cancel_link", args=[cancel_token(registration)])),
        "online_url": event.online_url if registration.has_seat else "",
    }
    if name == "event_message":
        message = EventMessage.objects.filter(pk=extra.get("message_id")).first()
        if message is None:
            return
        context["message"] = message
    if name in ("event_waitlisted", "event_reinstated"):
        context["position"] = waitlist_position(registration=registration)
    if name == "event_changed":
        context.update(_changes_context(extra))
    email = _email_for(user, name, context, group=event.group, idempotency_key=idempotency_key)
    if name == CANCELLED:
        # To everyone told, seat or not: anyone may have added the event from its page,
        # and a cancellation of an event a calendar does not hold changes nothing there.
        email.attach(
            "event.ics",
            calendars.cancellation_for(
                event, attendee=user.email, language=user.preferred_language
            ),
            "text/calendar; method=CANCEL",
        )
    elif name in WITH_CALENDAR and registration.has_seat:
        email.attach(
            "event.ics",
            calendars.calendar_for(
                [event], language=user.preferred_language, online_link_for=[event.pk]
            ),
            "text/calendar; method=PUBLISH",
        )
    email.send()


def send_threshold_reached(*, check_id):
    check = InterestCheck.objects.select_related("group", "created_by").filter(pk=check_id).first()
    if check is None:
        return
    voters = [
        answer.user
        for answer in InterestAnswer.objects.filter(
            interest_check=check, answer=InterestAnswer.Answer.YES, user__is_active=True
        ).select_related("user")
    ]
    recipients = {user.pk: (user, False) for user in voters}
    if check.created_by is not None and check.created_by.is_active:
        recipients[check.created_by.pk] = (check.created_by, True)
    check_url = _absolute(check.get_absolute_url())
    for user, is_organiser in recipients.values():
        _email_for(
            user,
            "event_threshold_reached",
            {
                "check": check,
                "group_name": check.group.name,
                "check_url": check_url,
                "is_organiser": is_organiser,
                "recipient_name": user.name,
            },
            group=check.group,
            # A check reaches its threshold once (threshold_reached_at is set once).
            idempotency_key=f"event-threshold:{check.pk}:{user.pk}",
        ).send()


def send_check_reminders(*, check_id, user_ids):
    """Reminds USER_IDS by email that a check closes soon, with one-click answers; those
    who answered since, or left the group, get nothing. Once per member and check."""
    check = (
        InterestCheck.objects.filter(pk=check_id, status=InterestCheck.Status.OPEN)
        .select_related("group")
        .first()
    )
    if check is None:
        return
    answered = set(
        InterestAnswer.objects.filter(interest_check=check).values_list("user_id", flat=True)
    )
    members = User.objects.filter(
        pk__in=[uid for uid in user_ids if uid not in answered],
        is_active=True,
        memberships__group_id=check.group_id,
    )
    check_url = _absolute(check.get_absolute_url())
    for member in members:
        _email_for(
            member,
            "check_reminder",
            {
                "check": check,
                "group_name": check.group.name,
                "check_url": check_url,
                "recipient_name": member.name,
                "answer_urls": answer_urls(check_id=check.pk, user=member),
            },
            group=check.group,
            idempotency_key=f"check-reminder:{check.pk}:{member.pk}",
        ).send()


def send_answer_confirmation(*, answer_id, idempotency_key=""):
    """Confirms an answer that came by email, with the links to change it."""
    answer = (
        InterestAnswer.objects.filter(pk=answer_id, user__is_active=True)
        .select_related("interest_check__group", "user")
        .first()
    )
    if answer is None:
        return
    check, member = answer.interest_check, answer.user
    _email_for(
        member,
        "check_answered",
        {
            "check": check,
            "answer": answer,
            "group_name": check.group.name,
            "check_url": _absolute(check.get_absolute_url()),
            "recipient_name": member.name,
            "answer_urls": answer_urls(check_id=check.pk, user=member),
        },
        group=check.group,
        # One per answer as it stood: a second reply that changes it is confirmed too.
        idempotency_key=f"check-answered:{answer.pk}:{answer.answer}:{answer.updated_at.timestamp()}",
    ).send()

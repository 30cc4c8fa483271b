"""Every change to events. One function per use case, each atomic.

The web views, the inbound mail processing (`rsvp_from_reply`), the commands and the API
call these. Side effects run once the transaction commits and are listed in each
docstring: emails (jobs, in each member's language), the search index (a job), the
announcement thread in the group's discussions.

Registrations for one event are serialised on the event's row: `select_for_update()` on
PostgreSQL; on SQLite every write transaction starts with BEGIN IMMEDIATE
(`transaction_mode` in the settings), which serialises writers. The seats are counted
inside that lock, so an event is never overbooked.
"""

import re
import unicodedata
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from goingsolo.accounts.models import Notification, User
from goingsolo.core.dates import format_when
from goingsolo.core.markdown import render_plain
from goingsolo.discussions import rules as discussion_rules
from goingsolo.discussions import services as discussions
from goingsolo.groups.models import Membership

from . import notifications, recordings, rules, tasks
from .models import (
    CalendarFeed,
    Event,
    EventKind,
    EventMessage,
    InterestAnswer,
    InterestCheck,
    Registration,
    RegistrationStatus,
    Speaker,
    Talk,
    calendar_token,
)

S = RegistrationStatus
MAX_QUESTIONS = 10
MAX_ANSWER_CHARS = 1000
REMINDER_AHEAD = timedelta(hours=24)
TITLE_MAX_CHARS = 200
CANCELLATION_MESSAGE_MAX_CHARS = 2000

# Fields grouped by what the announcement thread and the people registered hear of a change.
_TITLE_FIELDS = {"title_en", "title_fr"}
_TIME_FIELDS = {"starts_at", "ends_at", "time_zone"}
_PLACE_FIELDS = {"venue_name", "address", "city", "country"}
# Fields of an event that calendar applications care about: a change bumps SEQUENCE.
_CALENDAR_FIELDS = _TIME_FIELDS | _PLACE_FIELDS | {"online_url"}
# Everyone registered: told of a cancellation, a reinstatement, a new time or place.
_REGISTERED = (S.GOING, S.WAITLISTED, S.INTERESTED)


# --- Checks shared by the use cases ---------------------------------------------------------


def _zone(name):
    try:
        if name not in zoneinfo.available_timezones():
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"time_zone": _("“%(zone)s” is not a known time zone.") % {"zone": name}}
        ) from None


def clean_event_fields(data, *, event=None):
    """Checks the fields of an event (a dict); returns them cleaned or raises
    ValidationError with a message per field."""
    errors = {}
    data = dict(data)
    for key in ("title_en", "title_fr", "description_en", "description_fr"):
        data[key] = (data.get(key) or "").strip()
    data["title_en"] = " ".join(data["title_en"].split())
    data["title_fr"] = " ".join(data["title_fr"].split())
    if not data["title_en"] and not data["title_fr"]:
        errors["title_en"] = _("Give the event a title, in English or in French.")
    for key in ("title_en", "title_fr"):
        if len(data[key]) > TITLE_MAX_CHARS:
            errors[key] = _("A title has at most %(limit)d characters.") % {
                "limit": TITLE_MAX_CHARS
            }
    if data.get("kind") not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    try:
        _zone(data.get("time_zone") or "")
    except ValidationError as error:
        errors.update(error.message_dict)
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        if data.get(key) is not None:
            # Events are set to the minute; calendars and comparisons see whole minutes.
            data[key] = data[key].replace(second=0, microsecond=0)
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if starts_at is None:
        errors["starts_at"] = _("Say when the event starts.")
    if ends_at is None:
        errors["ends_at"] = _("Say when the event ends.")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    if closes and ends_at and closes > ends_at:
        errors["registration_closes_at"] = _("Registration must close before the event ends.")
    capacity = data.get("capacity")
    if capacity is not None:
        if capacity < 1:
            errors["capacity"] = _("An event has at least one seat; leave it empty for no limit.")
        elif event is not None:
            taken = Registration.objects.filter(event=event, status=S.GOING).count()
            if capacity < taken:
                errors["capacity"] = _(
                    "%(count)d people already have a seat: the capacity cannot be lower."
                ) % {"count": taken}
    if data.get("kind") == EventKind.ONLINE and not data.get("online_url"):
        errors["online_url"] = _("An online event needs the link people will join with.")
    for key in ("questions_en", "questions_fr"):
        questions = [_one_line(q) for q in (data.get(key) or []) if _one_line(q)]
        if len(questions) > MAX_QUESTIONS:
            errors[key] = _("Ask at most %(limit)d questions.") % {"limit": MAX_QUESTIONS}
        data[key] = questions
    english, french = data["questions_en"], data["questions_fr"]
    if english and french and len(english) != len(french) and "questions_fr" not in errors:
        errors["questions_fr"] = _(
            "Give as many questions in French as in English: each line translates the same "
            "line of the other language."
        )
    map_url = (data.get("map_url") or "").strip()
    if map_url and not re.match(r"^https://(www\.)?(openstreetmap\.org|osm\.org)/", map_url):
        errors["map_url"] = _("Give an OpenStreetMap link (https://www.openstreetmap.org/…).")
    data["map_url"] = map_url
    if errors:
        raise ValidationError(errors)
    return data


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _locked(event):
    """EVENT's row, locked until the transaction ends (see the module's docstring), with its
    group. A deleted event is refused: nothing changes it any more."""
    event = Event.all_objects.select_for_update().select_related("group").get(pk=event.pk)
    if event.is_deleted:
        raise ValidationError(_("This event was deleted."))
    return event


def _recount(event):
    """Writes the registration counters of EVENT (locked by the caller)."""
    counts = dict(
        Registration.objects.filter(event=event)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    event.going_count = counts.get(S.GOING, 0)
    event.waitlist_count = counts.get(S.WAITLISTED, 0)
    event.interested_count = counts.get(S.INTERESTED, 0)
    Event.objects.filter(pk=event.pk).update(
        going_count=event.going_count,
        waitlist_count=event.waitlist_count,
        interested_count=event.interested_count,
    )


def _email_on_commit(registration, name, **extra):
    transaction.on_commit(
        lambda: tasks.send_registration_email.enqueue(
            registration_id=registration.pk, name=name, extra=extra
        )
    )


def _index_on_commit(event):
    transaction.on_commit(lambda: tasks.index_event.enqueue(event_id=event.pk))


def _email_registered(event, name, statuses=_REGISTERED, exclude=(), **extra):
    """Queues message NAME to each person registered for EVENT with one of STATUSES."""
    registrations = Registration.objects.filter(event=event, status__in=statuses).exclude(
        pk__in=[registration.pk for registration in exclude]
    )
    for registration in registrations:
        _email_on_commit(registration, name, **extra)


# --- Events ---------------------------------------------------------------------------------


def _times(event):
    """The start, end and zone of EVENT in the event's zone, as the active language writes
    them (docs/voice.md): "Thursday 3 December 2026, 18:30", and the end's time alone when
    it is the same day."""
    start = timezone.localtime(event.starts_at, event.zone)
    end = timezone.localtime(event.ends_at, event.zone)
    end_style = "time" if start.date() == end.date() else "long_datetime"
    return {
        "start": format_when(start, "long_datetime", zone=event.zone),
        "end": format_when(end, end_style, zone=event.zone),
        "zone": event.time_zone,
    }


def place_of(event):
    """The venue, address and city of EVENT in one line ("" for none)."""
    return ", ".join(part for part in (event.venue_name, event.address, event.city) if part)


def _when_where(event):
    lines = [_("When: %(start)s – %(end)s (%(zone)s)") % _times(event)]
    if place_of(event):
        lines.append(_("Where: %(place)s") % {"place": place_of(event)})
    elif event.online_url:
        lines.append(_("Where: online (the link is given to registered people)"))
    return lines


def _announcement_body(event, language):
    with translation.override(language):
        lines = [event.description.strip(), ""] if event.description.strip() else []
        lines += _when_where(event)
        lines += [
            "",
            _("Register here: %(url)s") % {"url": settings.SITE_URL + event.get_absolute_url()},
            _(
                "Or answer this message by email with “yes” (or “oui”) to register, “no” (or “non”) to cancel."
            ),
        ]
    return "\n".join(lines)


@transaction.atomic
def event_create(*, group, by, announce=True, **fields):
    """BY creates an event in GROUP with FIELDS (see `clean_event_fields`); returns it.

    Side effects: the announcement thread is started in the group's discussions (with its
    own side effects: notifications, search, live update) and stored on the event; on
    commit, the event is indexed for search.
    """
    _require(rules.can_create(by, group), _("Only the group’s organisers can create events."))
    data = clean_event_fields(fields)
    now = timezone.now()
    event = Event.objects.create(group=group, created_by=by, created_at=now, updated_at=now, **data)
    if announce:
        language = "fr" if (data["title_fr"] and not data["title_en"]) else by.preferred_language
        with translation.override(language):
            title = event.title
        result = discussions.thread_start(
            group=group, author=by, title=title, body=_announcement_body(event, language)
        )
        event.announcement_thread = result.post.thread
        event.save(update_fields=["announcement_thread"])
    _index_on_commit(event)
    return event


@transaction.atomic
def event_update(*, event, by, **fields):
    """BY changes EVENT's FIELDS; returns the event.

    A capacity below the number of people who already have a seat is refused. More seats
    go to the waiting list in order. A new time, place or online link bumps SEQUENCE.
    Side effects:
    - a new title, time, place or online link: the announcement thread takes the event's
      title (`discussions.services.post_edit` of its opening post) and gets a reply saying
      what changed (`post_reply`, with its side effects: notifications, mailing list);
    - on commit, a new time or place is emailed to everyone registered, a new online link
      alone to the people with a seat, with the calendar file for those with a seat, and
      they get an in-app notification (`notifications.notify_registered`) — not while the
      event is cancelled or once it is over;
    - on commit, those who get a seat are emailed (with the calendar file); the search
      index is updated.
    """
    event = _locked(event)
    _require(rules.can_organise(by, event), _("Only the event’s organisers can change it."))
    before = _event_fields(event)
    data = clean_event_fields({**before, **fields}, event=event)
    changed = {name for name in fields if data[name] != before.get(name, getattr(event, name))}
    for name in fields:
        setattr(event, name, data[name])
    if changed & _CALENDAR_FIELDS:
        event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    _promote_waitlisted(event)
    _index_on_commit(event)
    _announce_changes(event, by, changed, before)
    if not event.is_cancelled and not event.is_past:
        _email_changes(event, changed, before, by)
    return event


def _event_fields(event):
    names = [
        "kind",
        "title_en",
        "title_fr",
        "description_en",
        "description_fr",
        "starts_at",
        "ends_at",
        "time_zone",
        "venue_name",
        "address",
        "city",
        "country",
        "map_url",
        "online_url",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "questions_en",
        "questions_fr",
    ]
    return {name: getattr(event, name) for name in names}


def _email_changes(event, changed, before, by):
    """Queues the news of EVENT's new time, place or online link (CHANGED, from BEFORE),
    and tells the same people in the app."""
    changes = []
    if changed & _TIME_FIELDS:
        changes.append("time")
    if changed & _PLACE_FIELDS:
        changes.append("place")
    if "online_url" in changed:
        changes.append("online_link")
    if not changes:
        return
    previous = Event(**{name: before[name] for name in ("venue_name", "address", "city")})
    extra = {
        "changes": changes,
        "previous_starts_at": before["starts_at"].isoformat(),
        "previous_ends_at": before["ends_at"].isoformat(),
        "previous_time_zone": before["time_zone"],
        "previous_place": place_of(previous),
    }
    # A new link alone concerns only the people who were given the link: those with a seat.
    statuses = _REGISTERED if changes != ["online_link"] else (S.GOING,)
    _email_registered(event, "event_changed", statuses=statuses, **extra)
    notifications.notify_registered(
        event,
        kind=Notification.Kind.EVENT_CHANGED,
        by=by,
        statuses=statuses,
        excerpt=lambda: _when_where_plain(event),
    )


def _when_where_plain(event):
    """ "Monday 4 May 2026, 18:00 – 20:00 (Europe/Zurich) · venue, city", in the active
    language: a notification's excerpt, written in each recipient's language."""
    times = "{start} – {end} ({zone})".format(**_times(event))
    return " · ".join(part for part in (times, place_of(event)) if part)


# --- The announcement thread -----------------------------------------------------------------
#
# The thread an event was announced in hears what becomes of the event: a reply for a new
# time or place, a cancellation, a reinstatement or a deletion. Replies are posts, so they
# reach the group as any post does (notifications, mailing list). Each is written in the
# thread's own language (detected for its opening post), so the thread reads in one
# language; the reply's author is the organiser who made the change.


def _announcement_of(event, by):
    """EVENT's announcement thread, or None when there is none or BY may not reply in it
    any more: a thread the group's moderators deleted or closed is left as they left it."""
    thread = event.announcement_thread
    if thread is None or thread.deleted_at is not None:
        return None
    if thread.is_locked and not discussion_rules.can_moderate(by, event.group):
        return None
    if not discussion_rules.can_post(by, event.group):
        return None
    return thread


def _thread_language(event, thread):
    if thread.language in dict(settings.LANGUAGES):
        return thread.language
    return "fr" if event.title_fr and not event.title_en else settings.LANGUAGE_CODE


def _reply_in_announcement(event, by, write_lines):
    """BY replies in EVENT's announcement thread with the lines WRITE_LINES() returns,
    written in the thread's language, and a link to the event while it has a page.
    Returns the post, or None when there is no thread to reply in or nothing to say."""
    thread = _announcement_of(event, by)
    if thread is None:
        return None
    language = _thread_language(event, thread)
    with translation.override(language):
        lines = write_lines()
        if not lines:
            return None
        if not event.is_deleted:
            url = settings.SITE_URL + event.get_absolute_url()
            lines += ["", _("The event: %(url)s") % {"url": url}]
    body = "\n".join(lines)
    return discussions.post_reply(thread=thread, author=by, body=body, language=language).post


def _announce_changes(event, by, changed, before):
    """The announcement thread follows EVENT's new title, time, place or online link
    (CHANGED, from BEFORE): the thread takes the new title, a reply says what is new."""
    if not changed & (_TITLE_FIELDS | _CALENDAR_FIELDS):
        return
    thread = _announcement_of(event, by)
    if thread is None:
        return
    with translation.override(_thread_language(event, thread)):
        old_title = Event(title_en=before["title_en"], title_fr=before["title_fr"]).title
        new_title = event.title
    # Only when the title in the thread's language changed: a title a moderator gave the
    # thread stays while the event keeps its own.
    if new_title != old_title and new_title != thread.title:
        opening = thread.posts.get(position=1)
        discussions.post_edit(post=opening, by=by, body=opening.body, title=new_title)

    def lines():
        said = []
        if new_title != old_title:
            said.append(_("New title: %(title)s") % {"title": new_title})
        if changed & _TIME_FIELDS:
            said.append(_("New time: %(start)s – %(end)s (%(zone)s)") % _times(event))
        if changed & _PLACE_FIELDS:
            if place_of(event):
                said.append(_("New venue: %(place)s") % {"place": place_of(event)})
            elif event.online_url:
                said.append(_("The event is now online (the link is given to registered people)."))
            else:
                said.append(_("The venue is to be announced."))
        if "online_url" in changed and event.online_url:
            # Never the link itself: the thread is read by people without a seat.
            said.append(_("New online link: people with a seat find it on the event page."))
        return said

    _reply_in_announcement(event, by, lines)


# --- Cancelling, reinstating, deleting ------------------------------------------------------


def _clean_cancellation_message(message):
    message = (message or "").strip()
    if len(message) > CANCELLATION_MESSAGE_MAX_CHARS:
        raise ValidationError(
            {
                "message": _("A message has at most %(limit)s characters.")
                % {"limit": number_format(CANCELLATION_MESSAGE_MAX_CHARS, force_grouping=True)}
            }
        )
    return message


def _mark_cancelled(event, by, message):
    event.cancelled_at = timezone.now()
    event.cancelled_by = by
    event.cancellation_message = message
    event.sequence += 1  # calendar applications replace their copy with the cancelled one
    event.updated_at = event.cancelled_at


def _cancellation_lines(event, message):
    lines = ["**" + _("This event is cancelled.") + "**"]
    if message:
        lines += ["", message]
    return lines


@transaction.atomic
def event_cancel(*, event, by, message=""):
    """BY cancels EVENT, telling everyone registered MESSAGE (optional); returns the event.

    The event stays visible, marked cancelled, and closed to registration; registrations
    are kept as they are, so that reinstating it finds them again. Refused when it is
    already cancelled or over.
    Side effects: SEQUENCE bumped (calendars show it cancelled); a reply in the
    announcement thread with MESSAGE (with the side effects of `post_reply`); an in-app
    notification to each person going, waiting or interested; on commit, an email to each
    of them, in their language, with MESSAGE and a calendar file that cancels the event
    (METHOD:CANCEL).
    """
    event = _locked(event)
    _require(rules.can_organise(by, event), _("Only the event’s organisers can cancel it."))
    message = _clean_cancellation_message(message)
    if event.is_cancelled:
        raise ValidationError(_("This event is already cancelled."))
    if event.is_past:
        raise ValidationError(_("This event is over: it can no longer be cancelled."))
    _mark_cancelled(event, by, message)
    event.save()
    _reply_in_announcement(event, by, lambda: _cancellation_lines(event, message))
    _email_registered(event, "event_cancelled_by_organiser")
    _notify_registered(event, Notification.Kind.EVENT_CANCELLED, by, render_plain(message))
    return event


def _notify_registered(event, kind, by, excerpt):
    notifications.notify_registered(event, kind=kind, by=by, statuses=_REGISTERED, excerpt=excerpt)


@transaction.atomic
def event_reinstate(*, event, by):
    """BY reinstates cancelled EVENT, which has not started; returns the event.

    Registrations are as they were when it was cancelled (people could only give up
    their place since); seats given up meanwhile go to the waiting list now, in order.
    Side effects: SEQUENCE bumped; a reply in the announcement thread; an in-app
    notification to everyone registered; on commit, everyone registered is emailed that the
    event is back on (with the calendar file for those with a seat), and those who get a
    freed seat are emailed that instead.
    """
    event = _locked(event)
    _require(rules.can_organise(by, event), _("Only the event’s organisers can reinstate it."))
    if not event.is_cancelled:
        raise ValidationError(_("This event is not cancelled."))
    if event.has_started:
        raise ValidationError(_("This event has started: it can no longer be reinstated."))
    event.cancelled_at = None
    event.cancelled_by = None
    event.cancellation_message = ""
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    promoted = _promote_waitlisted(event)

    def lines():
        news = _("This event is back on: it is no longer cancelled.")
        return ["**" + news + "**", "", *_when_where(event)]

    _reply_in_announcement(event, by, lines)
    _email_registered(event, "event_reinstated", exclude=promoted)
    _notify_registered(event, Notification.Kind.EVENT_REINSTATED, by, _when_where_plain(event))
    return event


def delete_refusal():
    """What an organiser who may not delete their event is told (rules.can_delete)."""
    return _(
        "Other people are registered for this event: only the group’s admins can delete it. "
        "You can cancel it."
    )


@transaction.atomic
def event_delete(*, event, by, message=""):
    """BY deletes EVENT: it leaves every list, search and calendar; returns the event.

    Deleting is soft, as for discussions: the row, its registrations and messages stay
    (`deleted_at`). An event that is not over and not cancelled is cancelled first, so
    everyone registered is told as for a cancellation, with MESSAGE (optional).
    Side effects: a reply in the announcement thread, which stays (with the side effects
    of `post_reply`); on commit, the event leaves the search index, and the people
    registered are emailed, and notified in the app, when the event is cancelled by the
    deletion.
    """
    event = Event.all_objects.select_for_update().select_related("group").get(pk=event.pk)
    _require(rules.can_organise(by, event), _("Only the event’s organisers can delete it."))
    _require(rules.can_delete(by, event), delete_refusal())
    if event.is_deleted:
        raise ValidationError(_("This event was already deleted."))
    message = _clean_cancellation_message(message)
    tell_registered = not event.is_cancelled and not event.is_past
    if tell_registered:
        _mark_cancelled(event, by, message)
    event.deleted_at = timezone.now()
    event.deleted_by = by
    event.save()

    def lines():
        if tell_registered:
            news = _("This event is cancelled and removed from the group’s events.")
        else:
            news = _("This event is removed from the group’s events.")
        said = ["**" + news + "**", _("This thread stays.")]
        return [*said, "", message] if message else said

    _reply_in_announcement(event, by, lines)
    if tell_registered:
        _email_registered(event, "event_cancelled_by_organiser")
        _notify_registered(event, Notification.Kind.EVENT_CANCELLED, by, render_plain(message))
    _index_on_commit(event)
    return event


# --- Registration ---------------------------------------------------------------------------


def _one_line(text):
    """TEXT on one line, its runs of spaces and line breaks made one space. A non-breaking
    space is kept: French writes one before "?" (docs/voice.md)."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", str(text)).strip()


def _clean_answers(event, answers):
    """ANSWERS ({position: text}) with the questions as asked, in the active language."""
    answers = answers or {}
    cleaned = []
    for index, question in enumerate(event.questions):
        answer = _one_line(answers.get(index, answers.get(str(index), "")))
        if len(answer) > MAX_ANSWER_CHARS:
            raise ValidationError(
                {
                    "answers": _("An answer has at most %(limit)s characters.")
                    % {"limit": number_format(MAX_ANSWER_CHARS, force_grouping=True)}
                }
            )
        cleaned.append({"question": question, "answer": answer})
    return cleaned


def _promote_waitlisted(event):
    """Gives freed seats of EVENT (locked) to the waiting list, first come first served;
    returns the registrations that got one. A cancelled event gives none: its freed seats
    go to the waiting list if it is reinstated."""
    promoted = []
    going = Registration.objects.filter(event=event, status=S.GOING).count()
    while not event.is_cancelled and (event.capacity is None or going < event.capacity):
        first = (
            Registration.objects.filter(event=event, status=S.WAITLISTED)
            .order_by("waitlisted_at", "pk")
            .first()
        )
        if first is None:
            break
        now = timezone.now()
        first.status = S.GOING
        first.updated_at = now
        if event.starts_at - now <= REMINDER_AHEAD:
            first.reminder_sent_at = now  # the news of the seat stands for the reminder
        first.save(update_fields=["status", "updated_at", "reminder_sent_at"])
        going += 1
        promoted.append(first)
        _email_on_commit(first, "event_seat_freed")
    _recount(event)
    return promoted


def _set_status(event, user, status, *, answers=None, source, force=False):
    """Registers USER for EVENT (locked by the caller) with STATUS; returns
    (registration, what changed: None or the email to send)."""
    now = timezone.now()
    registration = Registration.objects.filter(event=event, user=user).first()
    previous = registration.status if registration else None
    # Not going stays possible on a cancelled event: it harms nobody, and should the event
    # be reinstated, the place is free for someone else.
    if event.is_cancelled and status != S.NOT_GOING:
        raise ValidationError(_("This event is cancelled: registration is closed."))
    if event.is_past:
        raise ValidationError(_("This event is over."))
    if status in (S.GOING, S.WAITLISTED):
        if previous in (S.GOING, S.WAITLISTED):
            if answers is not None:
                registration.answers = _clean_answers(event, answers)
                registration.save(update_fields=["answers"])
            return registration, None
        if not force:
            if event.registration_opens_at and now < event.registration_opens_at:
                raise ValidationError(_("Registration has not opened yet."))
            if now >= event.registration_closes:
                raise ValidationError(_("Registration for this event is closed."))
        taken = Registration.objects.filter(event=event, status=S.GOING).count()
        status = S.GOING if event.capacity is None or taken < event.capacity else S.WAITLISTED
    elif status == S.INTERESTED and event.has_started:
        raise ValidationError(_("This event has started."))
    if previous == status:
        return registration, None
    if registration is None:
        registration = Registration(event=event, user=user, created_at=now, source=source)
    registration.status = status
    registration.updated_at = now
    if answers is not None:
        registration.answers = _clean_answers(event, answers)
    registration.waitlisted_at = now if status == S.WAITLISTED else None
    if status == S.GOING and event.starts_at - now <= REMINDER_AHEAD:
        # The confirmation arrives inside the reminder window: it stands for the reminder.
        registration.reminder_sent_at = now
    registration.save()
    email = {
        S.GOING: "event_registered",
        S.WAITLISTED: "event_waitlisted",
        S.INTERESTED: "event_interested",
        S.NOT_GOING: "event_cancelled" if previous in (S.GOING, S.WAITLISTED) else None,
    }[status]
    if event.is_cancelled:
        # The page says it is noted; the usual email would give the seat to someone else.
        email = None
    if previous == S.GOING and status != S.GOING:
        _promote_waitlisted(event)
    else:
        _recount(event)
    return registration, email


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
    event = _locked(event)
    _require(
        rules.can_register(user, event.group),
        _("Only members of the group can register for its events."),
    )
    if status not in S.values:
        raise ValidationError(_("Choose going, interested or not going."))
    registration, email = _set_status(event, user, status, answers=answers, source=source)
    if email and notify:
        _email_on_commit(registration, email)
    return registration


def registration_cancel(*, registration):
    """The member of REGISTRATION is not going any more (the link in an email); see
    `registration_set` for the side effects."""
    return registration_set(event=registration.event, user=registration.user, status=S.NOT_GOING)


_YES = {"yes", "oui", "y", "yep", "yeah"}
_NO = {"no", "non", "nope", "n"}


def _first_word(text):
    """The first word of TEXT, lower-case, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", (text or "").strip())
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    match = re.search(r"[^\W_]+", text)
    return match.group(0) if match else ""


def rsvp_word(text):
    """GOING or NOT_GOING when TEXT (a trimmed reply) starts with yes/oui or no/non."""
    word = _first_word(text)
    if word in _YES:
        return S.GOING
    if word in _NO:
        return S.NOT_GOING
    return None


def rsvp_from_reply(*, thread, user, text):
    """An emailed reply to an event's announcement THREAD that starts with "yes"/"oui"
    registers USER, "no"/"non" cancels (case, accents and punctuation do not matter).

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


@transaction.atomic
def check_in(*, registration, by, present=True):
    """BY marks the holder of REGISTRATION as arrived (or not); returns the registration."""
    registration = Registration.objects.select_related("event__group").get(pk=registration.pk)
    _require(
        rules.can_organise(by, registration.event), _("Only the event’s organisers can check in.")
    )
    if registration.status != S.GOING:
        raise ValidationError(_("Only people with a seat can be checked in."))
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at"])
    return registration


@transaction.atomic
def attendees_message(*, event, by, subject, body):
    """BY emails every person with a seat at EVENT; returns the stored EventMessage.

    Side effects on commit: one email per attendee, framed in their language (the text
    is the organiser's, as written).
    """
    _require(
        rules.can_organise(by, event), _("Only the event’s organisers can write to attendees.")
    )
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the message a subject.")
    if not body:
        errors["body"] = _("Write a message.")
    if errors:
        raise ValidationError(errors)
    registrations = list(Registration.objects.filter(event=event, status=S.GOING))
    message = EventMessage.objects.create(
        event=event, sent_by=by, subject=subject, body=body, recipient_count=len(registrations)
    )
    for registration in registrations:
        _email_on_commit(registration, "event_message", message_id=message.pk)
    return message


def reminders_queue(*, now=None):
    """Queues the reminder of every seat at an event that starts in the next 24 hours and
    was not reminded yet; returns how many. Safe to run as often as wanted, and by
    several processes at once: each reminder is claimed once.

    Side effects on commit: one reminder email per claimed seat, in the member's language.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = Registration.objects.filter(
            status=S.GOING,
            reminder_sent_at__isnull=True,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_AHEAD,
            event__cancelled_at__isnull=True,
            event__deleted_at__isnull=True,
        )
        ids = list(
            due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)
        )
        Registration.objects.filter(pk__in=ids, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        for registration_id in ids:
            transaction.on_commit(
                lambda pk=registration_id: tasks.send_registration_email.enqueue(
                    registration_id=pk, name="event_reminder", extra={}
                )
            )
    return len(ids)


# --- Agenda and recordings ------------------------------------------------------------------


def _organiser(by, event):
    _require(rules.can_organise(by, event), _("Only the event’s organisers can change the agenda."))


@transaction.atomic
def speaker_save(*, event, by, name, bio="", website="", user=None, speaker=None):
    """BY adds a speaker to EVENT, or changes SPEAKER; a member speaker needs no name."""
    _organiser(by, event)
    if user is not None and not Membership.objects.filter(group=event.group, user=user).exists():
        raise ValidationError({"user": _("This person is not a member of the group.")})
    name = " ".join((name or "").split()) or (user.name if user else "")
    if not name:
        raise ValidationError({"name": _("Give the speaker’s name.")})
    speaker = speaker or Speaker(event=event)
    speaker.user, speaker.name = user, name
    speaker.bio = (bio or "").strip() or (user.bio if user else "")
    speaker.website = website or (user.website if user else "")
    speaker.save()
    return speaker


@transaction.atomic
def talk_save(
    *,
    event,
    by,
    title,
    starts_at,
    ends_at,
    language,
    abstract="",
    room="",
    speakers=(),
    recording_url="",
    slides_url="",
    slides_file=None,
    talk=None,
):
    """BY adds a talk to EVENT's agenda, or changes TALK; returns it.

    RECORDING_URL must be a YouTube, Vimeo or PeerTube address: the player address is
    derived from it. Side effects on commit: the event is indexed again (talks are part of
    its text).
    """
    _organiser(by, event)
    errors = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the talk a title.")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The talk must end after it starts.")
    if starts_at and ends_at and (starts_at < event.starts_at or ends_at > event.ends_at):
        errors["starts_at"] = _("The talk must take place during the event.")
    recording = None
    if recording_url:
        try:
            recording = recordings.parse_recording(recording_url)
        except ValidationError as error:
            errors["recording_url"] = error.messages
    if any(speaker.event_id != event.pk for speaker in speakers):
        errors["speakers"] = _("Choose speakers of this event.")
    if errors:
        raise ValidationError(errors)
    talk = talk or Talk(event=event)
    talk.title, talk.abstract, talk.language = title, (abstract or "").strip(), language
    talk.starts_at, talk.ends_at, talk.room = starts_at, ends_at, " ".join((room or "").split())
    talk.recording_url = recording_url.strip() if recording else ""
    talk.recording_provider = recording.provider if recording else ""
    talk.recording_embed_url = recording.embed_url if recording else ""
    talk.slides_url = slides_url or ""
    if slides_file is not None:
        talk.slides_file = slides_file
    talk.save()
    talk.speakers.set(speakers)
    _index_on_commit(event)
    return talk


@transaction.atomic
def talk_delete(*, talk, by):
    _organiser(by, talk.event)
    talk.delete()
    _index_on_commit(talk.event)


# --- Calendars ------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user):
    """Gives USER a new secret address for their calendar; the old one stops working."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user):
    """Turns USER's calendar address off."""
    CalendarFeed.objects.filter(user=user).delete()


# --- Interest checks ------------------------------------------------------------------------


@transaction.atomic
def interest_check_open(
    *, group, by, kind, city, window_start, window_end, threshold, country="", note=""
):
    """BY asks GROUP's members whether they would come to an event of KIND in CITY between
    WINDOW_START and WINDOW_END; it goes ahead at THRESHOLD yes answers. Returns the check.
    """
    _require(rules.can_create(by, group), _("Only the group’s organisers can ask this."))
    errors = {}
    city = " ".join((city or "").split())
    if not city:
        errors["city"] = _("Say in which city.")
    if kind not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    if window_start and window_end and window_end < window_start:
        errors["window_end"] = _("The end of the window must come after its start.")
    if window_end and window_end < timezone.localdate():
        errors["window_end"] = _("The window must not be over already.")
    if not threshold or threshold < 1:
        errors["threshold"] = _("Say how many yes answers you need, at least one.")
    if errors:
        raise ValidationError(errors)
    return InterestCheck.objects.create(
        group=group,
        created_by=by,
        kind=kind,
        city=city,
        country=country,
        window_start=window_start,
        window_end=window_end,
        threshold=threshold,
        note=(note or "").strip(),
    )


def _recount_check(check):
    counts = dict(
        InterestAnswer.objects.filter(interest_check=check)
        .values("answer")
        .annotate(n=Count("pk"))
        .values_list("answer", "n")
    )
    check.yes_count = counts.get("yes", 0)
    check.maybe_count = counts.get("maybe", 0)
    check.no_count = counts.get("no", 0)


@transaction.atomic
def interest_answer(*, check, user, answer, from_city="", from_country=""):
    """USER answers CHECK (yes, maybe, no), optionally saying from which city; returns
    the InterestAnswer.

    Side effects on commit: the first time the yes answers reach the threshold, the
    organiser and everyone who said yes are emailed (once, ever).
    """
    check = InterestCheck.objects.select_for_update().select_related("group").get(pk=check.pk)
    _require(rules.can_register(user, check.group), _("Only members of the group can answer."))
    if not check.is_open:
        raise ValidationError(_("This question is closed."))
    if answer not in InterestAnswer.Answer.values:
        raise ValidationError({"answer": _("Answer yes, maybe or no.")})
    now = timezone.now()
    row, _created = InterestAnswer.objects.get_or_create(
        interest_check=check,
        user=user,
        defaults={"answer": answer, "created_at": now, "updated_at": now},
    )
    row.answer = answer
    row.from_city = " ".join((from_city or "").split())
    row.from_country = from_country or ""
    row.updated_at = now
    row.save()
    _recount_check(check)
    fields = ["yes_count", "maybe_count", "no_count"]
    if check.threshold_reached and check.threshold_reached_at is None:
        check.threshold_reached_at = now
        fields.append("threshold_reached_at")
        check_id = check.pk
        transaction.on_commit(lambda: tasks.threshold_reached.enqueue(check_id=check_id))
    check.save(update_fields=fields)
    return row


@transaction.atomic
def interest_check_close(*, check, by):
    check = InterestCheck.objects.select_for_update().select_related("group").get(pk=check.pk)
    _require(rules.can_organise_check(by, check), _("Only the organiser can close this question."))
    if check.is_open:
        check.status = InterestCheck.Status.CLOSED
        check.closed_at = timezone.now()
        check.save(update_fields=["status", "closed_at"])
    return check


@transaction.atomic
def interest_check_convert(*, check, by, **fields):
    """BY turns CHECK into an event with FIELDS (see `event_create`); returns the event.

    Everyone who said yes is registered (a seat while there are seats, then the waiting
    list), and the check is marked as converted.
    Side effects on commit: those of `event_create`; each yes-voter gets a confirmation
    they can cancel with one click.
    """
    check = InterestCheck.objects.select_for_update().select_related("group").get(pk=check.pk)
    _require(rules.can_organise_check(by, check), _("Only the organiser can do this."))
    if check.status == InterestCheck.Status.CONVERTED:
        raise ValidationError(_("This question has already become an event."))
    event = event_create(group=check.group, by=by, **fields)
    event = Event.objects.select_for_update().get(pk=event.pk)
    voters = User.objects.filter(
        interest_answers__interest_check=check,
        interest_answers__answer=InterestAnswer.Answer.YES,
        is_active=True,
        memberships__group=check.group,
    ).order_by("interest_answers__created_at", "pk")
    count = 0
    for voter in voters:
        registration, _email = _set_status(
            event, voter, S.GOING, source=Registration.Source.INTEREST_CHECK, force=True
        )
        if registration is not None:
            count += 1
            _email_on_commit(registration, "event_preregistered", check_id=check.pk)
    check.status = InterestCheck.Status.CONVERTED
    check.event = event
    check.converted_yes_count = count
    check.closed_at = timezone.now()
    check.save(update_fields=["status", "event", "converted_yes_count", "closed_at"])
    return event

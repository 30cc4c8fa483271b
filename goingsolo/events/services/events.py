"""Creating and changing an event.

`clean_event_fields` is the check of every field an organiser writes, one small function
per group of fields; the rules a form also checks come from `events/validators.py`.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from goingsolo.accounts.models import Notification
from goingsolo.core.text import fit_names
from goingsolo.discussions import services as discussions

from .. import notifications, rules, validators
from ..models import EVENT_FIELDS, Event, EventKind, Registration, RegistrationStatus
from ..text import one_line, when_where_line
from .announcements import announce_changes, announcement_body
from .registrations import promote_waitlisted
from .shared import (
    CALENDAR_FIELDS,
    PLACE_FIELDS,
    REGISTERED,
    TIME_FIELDS,
    email_registered,
    index_on_commit,
    locked_event,
    require,
)

_OPENSTREETMAP = re.compile(r"^https://(www\.)?(openstreetmap\.org|osm\.org)/")


def _refusals(validate, *values, **named):
    """The errors VALIDATE raises for VALUES, by field ({} when it accepts them)."""
    try:
        validate(*values, **named)
    except ValidationError as error:
        return error.error_dict
    return {}


def _to_the_minute(data, *keys):
    # Events are set to the minute; calendars and comparisons see whole minutes.
    for key in keys:
        if data.get(key) is not None:
            data[key] = data[key].replace(second=0, microsecond=0)


def _clean_text(data, *, event):
    """Titles on one line and within their columns, descriptions trimmed; a title in one
    language at least."""
    for key in ("description_en", "description_fr"):
        data[key] = (data.get(key) or "").strip()
    errors = {}
    data.update(fit_names(Event, errors, **{k: data.get(k) or "" for k in _TITLES}))
    errors.update(_refusals(validators.validate_titles, data["title_en"], data["title_fr"]))
    return errors


_TITLES = ("title_en", "title_fr")
# What an event's page names and links, each on one line within its column.
_NAMES = ("venue_name", "address", "city", "map_url", "online_url")


def _clean_names(data, *, event):
    """The venue, its address and city, the links: within their columns."""
    errors = {}
    data.update(fit_names(Event, errors, **{k: data[k] for k in _NAMES if data.get(k)}))
    return errors


def _clean_time(data, *, event):
    """A known time zone, a start and an end after it."""
    errors = dict(_refusals(validators.validate_time_zone, data.get("time_zone") or ""))
    _to_the_minute(data, "starts_at", "ends_at")
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if starts_at is None:
        errors["starts_at"] = _("Say when the event starts.")
    if ends_at is None:
        errors["ends_at"] = _("Say when the event ends.")
    errors.update(_refusals(validators.validate_times, starts_at, ends_at))
    return errors


def _clean_registration(data, *, event):
    """Registration closes after it opens, and before the event ends."""
    _to_the_minute(data, "registration_opens_at", "registration_closes_at")
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    refusals = _refusals(
        validators.validate_years, registration_opens_at=opens, registration_closes_at=closes
    )
    if refusals:
        return refusals
    ends_at = data.get("ends_at")
    if closes and ends_at and closes > ends_at:
        return {"registration_closes_at": _("Registration must close before the event ends.")}
    if opens and closes and closes <= opens:
        return {"registration_closes_at": _("Registration must close after it opens.")}
    return {}


def _clean_capacity(data, *, event):
    """No seats, or at least one, and never fewer than the people who already have one."""
    capacity = data.get("capacity")
    if capacity is None:
        return {}
    refusals = _refusals(validators.validate_capacity, capacity)
    if refusals:
        return refusals
    if event is not None:
        taken = Registration.objects.filter(event=event, status=RegistrationStatus.GOING).count()
        if capacity < taken:
            return {
                "capacity": _("%(count)d people already have a seat: the capacity cannot be lower.")
                % {"count": taken}
            }
    return {}


def _clean_place(data, *, event):
    """A kind; an online event has its link; a map link is OpenStreetMap's."""
    errors = {}
    if data.get("kind") not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    if data.get("kind") == EventKind.ONLINE and not data.get("online_url"):
        errors["online_url"] = _("An online event needs the link people will join with.")
    data["map_url"] = (data.get("map_url") or "").strip()
    if data["map_url"] and not _OPENSTREETMAP.match(data["map_url"]):
        errors["map_url"] = _("Give an OpenStreetMap link (https://www.openstreetmap.org/…).")
    return errors


def _clean_questions(data, *, event):
    """At most MAX_QUESTIONS a language, one line each, the two languages line by line."""
    errors = {}
    for key in ("questions_en", "questions_fr"):
        data[key] = [one_line(q) for q in (data.get(key) or []) if one_line(q)]
        if len(data[key]) > validators.MAX_QUESTIONS:
            errors[key] = _("Ask at most %(limit)d questions.") % {
                "limit": validators.MAX_QUESTIONS
            }
    english, french = data["questions_en"], data["questions_fr"]
    if english and french and len(english) != len(french) and "questions_fr" not in errors:
        errors["questions_fr"] = _(
            "Give as many questions in French as in English: each line translates the same "
            "line of the other language."
        )
    return errors


_FIELD_GROUPS = (
    _clean_text,
    _clean_names,
    _clean_time,
    _clean_registration,
    _clean_capacity,
    _clean_place,
    _clean_questions,
)


def clean_event_fields(data, *, event=None):
    """Checks the fields of an event (a dict; EVENT when it exists already); returns them
    cleaned or raises ValidationError with a message per field."""
    data = dict(data)
    errors = {}
    for clean_group in _FIELD_GROUPS:
        errors.update(clean_group(data, event=event))
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def event_create(*, group, by, announce=True, **fields):
    """BY creates an event in GROUP with FIELDS (see `clean_event_fields`); returns it.

    Side effects: the announcement thread is started in the group's discussions (with its
    own side effects: notifications, search, live update) and stored on the event; on
    commit, the event is indexed for search.
    """
    require(rules.can_create(by, group), _("Only the group’s organisers can create events."))
    data = clean_event_fields(fields)
    now = timezone.now()
    event = Event.objects.create(group=group, created_by=by, created_at=now, updated_at=now, **data)
    if announce:
        language = "fr" if (data["title_fr"] and not data["title_en"]) else by.preferred_language
        with translation.override(language):
            title = event.title
        result = discussions.thread_start(
            group=group, author=by, title=title, body=announcement_body(event, language)
        )
        event.announcement_thread = result.post.thread
        event.save(update_fields=["announcement_thread"])
    index_on_commit(event)
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
    event = locked_event(event)
    require(rules.can_organise(by, event), _("Only the event’s organisers can change it."))
    before = {name: getattr(event, name) for name in EVENT_FIELDS}
    data = clean_event_fields({**before, **fields}, event=event)
    changed = {name for name in fields if data[name] != before.get(name, getattr(event, name))}
    for name in fields:
        setattr(event, name, data[name])
    if changed & CALENDAR_FIELDS:
        event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    promote_waitlisted(event)
    index_on_commit(event)
    announce_changes(event, by, changed, before)
    if not event.is_cancelled and not event.is_past:
        _email_changes(event, changed, before, by)
    return event


def _email_changes(event, changed, before, by):
    """Queues the news of EVENT's new time, place or online link (CHANGED, from BEFORE),
    and tells the same people in the app."""
    changes = []
    if changed & TIME_FIELDS:
        changes.append("time")
    if changed & PLACE_FIELDS:
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
        "previous_place": previous.place_line,
    }
    # A new link alone concerns only the people who were given the link: those with a seat.
    statuses = REGISTERED if changes != ["online_link"] else (RegistrationStatus.GOING,)
    email_registered(event, "event_changed", statuses=statuses, **extra)
    notifications.notify_registered(
        event,
        kind=Notification.Kind.EVENT_CHANGED,
        by=by,
        statuses=statuses,
        excerpt=lambda: when_where_line(event),
    )

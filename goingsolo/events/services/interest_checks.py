""" "Would you come?": an organiser asks the group before committing to a city and a date;
members answer; once enough say yes, the check becomes an event and they are registered.
Opening a check asks the group the way an event is announced: a thread in the group's
discussions (so the mailing list, the digests and the thread list carry it, each member by
their delivery choices; its emails carry one-click answers, `answer_links.py`), an in-app
notification to every member (and so a push on their devices), and a reminder before it
closes to those who have not answered. A reply "oui", "peut-être" or "non" to its email
answers; the organiser's page hears each answer live (channel `check:<id>`).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from goingsolo.accounts.models import User
from goingsolo.core import live
from goingsolo.core.dates import format_when
from goingsolo.core.text import fit_names
from goingsolo.discussions import services as discussions
from goingsolo.groups.models import Membership

from .. import rules, signals, tasks
from ..models import (
    Event,
    EventKind,
    InterestAnswer,
    InterestCheck,
    Registration,
    RegistrationStatus,
)
from ..rsvp import interest_word
from ..text import check_title
from ..validators import validate_check_window
from .events import event_create
from .registrations import set_status
from .shared import counts_by, email_on_commit, require

# Those who have not answered are reminded this long before the check closes.
REMINDER_AHEAD = timedelta(hours=48)


def check_channel(check_id):
    """The live channel the organiser's page of a check listens to."""
    return f"check:{check_id}"


def _locked_check(check):
    return InterestCheck.objects.select_for_update().select_related("group").get(pk=check.pk)


def announcement_body(check, *, zone):
    """The opening post that asks the group, in the active language; the closing date in
    ZONE (the organiser's)."""
    lines = [check.note.strip(), ""] if check.note.strip() else []
    lines.append(
        _("Between %(start)s and %(end)s. We go ahead at %(threshold)d yes answers.")
        % {
            "start": format_when(check.window_start, "date"),
            "end": format_when(check.window_end, "date"),
            "threshold": check.threshold,
        }
    )
    if check.closes_at:
        lines.append(
            _("Answers until %(date)s.") % {"date": format_when(check.closes_at, "date", zone=zone)}
        )
    lines += [
        "",
        _("Answer here: %(url)s") % {"url": settings.SITE_URL + check.get_absolute_url()},
        _(
            "Or answer this message by email with “yes” (or “oui”), “maybe” (or "
            "“peut-être”) or “no” (or “non”) on the first line."
        ),
    ]
    return "\n".join(lines)


@transaction.atomic
def interest_check_open(
    *,
    group,
    by,
    kind,
    city,
    window_start,
    window_end,
    threshold,
    country="",
    note="",
    closes_at=None,
    announce=True,
):
    """BY asks GROUP's members whether they would come to an event of KIND in CITY between
    WINDOW_START and WINDOW_END; it goes ahead at THRESHOLD yes answers; answers are taken
    until CLOSES_AT (None: until the organiser closes it). Returns the check.

    Side effects, with ANNOUNCE (the demo passes False): the thread that asks the group is
    started in its discussions (`discussions.services.thread_start`, with its own side
    effects: the mailing list and digests by each member's choice, search, live update)
    and stored on the check; on commit, every other member gets an in-app notification
    (`tasks.interest_check_announced`), and so a push.
    """
    require(rules.can_create(by, group), _("Only the group’s organisers can ask this."))
    errors = {}
    city = fit_names(InterestCheck, errors, city=city)["city"]
    if not city:
        errors["city"] = _("Say in which city.")
    if kind not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    try:
        validate_check_window(window_start, window_end)
    except ValidationError as error:
        errors.update(error.error_dict)
    if window_end and window_end < timezone.localdate():
        errors["window_end"] = _("The window must not be over already.")
    if not threshold or threshold < 1:
        errors["threshold"] = _("Say how many yes answers you need, at least one.")
    if closes_at is not None and closes_at <= timezone.now():
        errors["closes_at"] = _("Answers must be taken until a moment still to come.")
    if errors:
        raise ValidationError(errors)
    check = InterestCheck.objects.create(
        group=group,
        created_by=by,
        kind=kind,
        city=city,
        country=country,
        window_start=window_start,
        window_end=window_end,
        threshold=threshold,
        note=(note or "").strip(),
        closes_at=closes_at,
    )
    if announce:
        zone = by.time_zone or settings.TIME_ZONE
        with translation.override(by.preferred_language):
            title, body = check_title(check), announcement_body(check, zone=zone)
        result = discussions.thread_start(
            group=group, author=by, title=title, body=body, language=by.preferred_language
        )
        check.announcement_thread = result.post.thread
        check.save(update_fields=["announcement_thread"])
        check_id = check.pk
        transaction.on_commit(lambda: tasks.interest_check_announced.enqueue(check_id=check_id))
    return check


@transaction.atomic
def interest_answer(
    *, check, user, answer, from_city="", from_country="", source=InterestAnswer.Source.WEB
):
    """USER answers CHECK (yes, maybe, no), optionally saying from which city; SOURCE says
    how (the web, a reply by email, a link in an email). Returns the InterestAnswer. An
    answer without a city keeps the city given before.

    Side effects on commit: the organiser's page hears the new counts (live, channel
    `check:<id>`); the first time the yes answers reach the threshold, the organiser and
    everyone who said yes are emailed (once, ever).
    """
    check = _locked_check(check)
    require(rules.can_register(user, check.group), _("Only members of the group can answer."))
    if not check.is_open:
        raise ValidationError(_("This question is closed."))
    if answer not in InterestAnswer.Answer.values:
        raise ValidationError({"answer": _("Answer yes, maybe or no.")})
    from_city = fit_names(InterestAnswer, from_city=from_city)["from_city"]
    now = timezone.now()
    row, _created = InterestAnswer.objects.get_or_create(
        interest_check=check,
        user=user,
        defaults={"answer": answer, "created_at": now, "updated_at": now},
    )
    row.answer = answer
    if from_city or source == InterestAnswer.Source.WEB:
        row.from_city = from_city
        row.from_country = from_country or ""
    row.source = source
    row.updated_at = now
    row.save()
    counts = counts_by(InterestAnswer.objects.filter(interest_check=check), "answer")
    check.yes_count = counts.get(InterestAnswer.Answer.YES, 0)
    check.maybe_count = counts.get(InterestAnswer.Answer.MAYBE, 0)
    check.no_count = counts.get(InterestAnswer.Answer.NO, 0)
    fields = ["yes_count", "maybe_count", "no_count"]
    if check.threshold_reached and check.threshold_reached_at is None:
        check.threshold_reached_at = now
        fields.append("threshold_reached_at")
        check_id = check.pk
        transaction.on_commit(lambda: tasks.threshold_reached.enqueue(check_id=check_id))
    check.save(update_fields=fields)
    # Counts only: the page fetches what it shows through its own permission checks.
    live.publish_on_commit(
        check_channel(check.pk),
        "answer.saved",
        {"yes": check.yes_count, "maybe": check.maybe_count, "no": check.no_count},
    )
    return row


def interest_answer_from_reply(*, thread, user, text):
    """An emailed reply to an interest check's THREAD whose first line starts with
    yes/oui, maybe/peut-être or no/non answers it as USER (`events/rsvp.py`: case, accents
    and punctuation do not matter).

    Returns the InterestAnswer, or None when THREAD asks no check or TEXT is no answer (the
    reply is then an ordinary post). Raises PermissionDenied when USER may not answer and
    ValidationError when the check is closed, with the message in USER's language.
    Side effects: those of `interest_answer`, and on commit an email that confirms it.
    """
    if thread is None:
        return None
    answer = interest_word(text)
    if answer is None:
        return None
    check = InterestCheck.objects.filter(announcement_thread=thread).first()
    if check is None:
        return None
    with translation.override(user.preferred_language):
        row = interest_answer(
            check=check, user=user, answer=answer, source=InterestAnswer.Source.EMAIL
        )
    row_id = row.pk
    transaction.on_commit(lambda: tasks.interest_answer_confirm.enqueue(answer_id=row_id))
    return row


def _not_answered(check):
    """Ids of the active members of CHECK's group who have not answered it, but its creator."""
    return list(
        Membership.objects.filter(group_id=check.group_id, user__is_active=True)
        .exclude(user_id=check.created_by_id)
        .exclude(user__interest_answers__interest_check=check)
        .values_list("user_id", flat=True)
    )


def interest_check_reminders_queue(*, now=None):
    """Reminds, once, those who have not answered a check that closes within
    REMINDER_AHEAD; closes the checks whose time is up. Each check is claimed in the database
    (`reminded_at`, SKIP LOCKED on PostgreSQL) before anything is queued, so runs may
    overlap. Returns how many members are reminded.

    Side effects on commit: an in-app notification to each of them (and so a push), and
    `signals.interest_check_reminder_due` (the mailing list emails those who get email).
    """
    now = now or timezone.now()
    InterestCheck.objects.filter(status=InterestCheck.Status.OPEN, closes_at__lte=now).update(
        status=InterestCheck.Status.CLOSED, closed_at=now
    )
    reminded = 0
    while True:
        with transaction.atomic():
            check = (
                InterestCheck.objects.select_for_update(skip_locked=True)
                .filter(
                    status=InterestCheck.Status.OPEN,
                    reminded_at__isnull=True,
                    closes_at__gt=now,
                    closes_at__lte=now + REMINDER_AHEAD,
                )
                .order_by("pk")
                .first()
            )
            if check is None:
                return reminded
            check.reminded_at = now
            check.save(update_fields=["reminded_at"])
            user_ids = _not_answered(check)
            reminded += len(user_ids)
            check_id = check.pk
            transaction.on_commit(
                lambda check_id=check_id, user_ids=user_ids: tasks.interest_check_reminded.enqueue(
                    check_id=check_id, user_ids=user_ids
                )
            )
            transaction.on_commit(
                lambda check_id=check_id, user_ids=user_ids: (
                    signals.interest_check_reminder_due.send(
                        sender=InterestCheck, check_id=check_id, user_ids=user_ids
                    )
                )
            )


@transaction.atomic
def interest_check_close(*, check, by):
    """BY closes CHECK: no more answers. Returns the check."""
    check = _locked_check(check)
    require(rules.can_organise_check(by, check), _("Only the organiser can close this question."))
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
    check = _locked_check(check)
    require(rules.can_organise_check(by, check), _("Only the organiser can do this."))
    if check.is_converted:
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
        registration, _email = set_status(
            event,
            voter,
            RegistrationStatus.GOING,
            source=Registration.Source.INTEREST_CHECK,
            force=True,
        )
        if registration is not None:
            count += 1
            email_on_commit(registration, "event_preregistered", check_id=check.pk)
    check.status = InterestCheck.Status.CONVERTED
    check.event = event
    check.converted_yes_count = count
    check.closed_at = timezone.now()
    check.save(update_fields=["status", "event", "converted_yes_count", "closed_at"])
    return event

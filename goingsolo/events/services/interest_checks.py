""" "Would you come?": an organiser asks the group before committing to a city and a date;
members answer; once enough say yes, the check becomes an event and they are registered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.accounts.models import User
from goingsolo.core.text import fit_names

from .. import rules, tasks
from ..models import (
    Event,
    EventKind,
    InterestAnswer,
    InterestCheck,
    Registration,
    RegistrationStatus,
)
from ..validators import validate_check_window
from .events import event_create
from .registrations import set_status
from .shared import counts_by, email_on_commit, require


def _locked_check(check):
    return InterestCheck.objects.select_for_update().select_related("group").get(pk=check.pk)


@transaction.atomic
def interest_check_open(
    *, group, by, kind, city, window_start, window_end, threshold, country="", note=""
):
    """BY asks GROUP's members whether they would come to an event of KIND in CITY between
    WINDOW_START and WINDOW_END; it goes ahead at THRESHOLD yes answers. Returns the check.
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


@transaction.atomic
def interest_answer(*, check, user, answer, from_city="", from_country=""):
    """USER answers CHECK (yes, maybe, no), optionally saying from which city; returns
    the InterestAnswer.

    Side effects on commit: the first time the yes answers reach the threshold, the
    organiser and everyone who said yes are emailed (once, ever).
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
    row.from_city = from_city
    row.from_country = from_country or ""
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
    return row


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

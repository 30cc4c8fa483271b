"""Events' part of a member's export, of deleting their account and of resetting their
private links (the registry: `goingsolo/accounts/privacy.py`; docs/privacy.md)."""

from goingsolo.accounts.privacy import ExportFile, eraser, exporter, link_resetter

from . import services
from .models import CalendarFeed, InterestAnswer, Registration


@exporter
def export_registrations(user):
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event__group")
        .order_by("created_at", "pk")
    )
    yield ExportFile(
        "registrations.json",
        [
            {
                "group": registration.event.group.slug,
                "event": registration.event.title,
                "starts_at": registration.event.starts_at,
                "status": registration.status,
                "answers": registration.answers,
                "via": registration.source,
                "registered_at": registration.created_at,
                "checked_in_at": registration.checked_in_at,
            }
            for registration in registrations
        ],
    )
    answers = InterestAnswer.objects.filter(user=user).select_related("interest_check__group")
    yield ExportFile(
        "interest_check_answers.json",
        [
            {
                "group": answer.interest_check.group.slug,
                "kind": answer.interest_check.kind,
                "city": answer.interest_check.city,
                "answer": answer.answer,
                "from_city": answer.from_city,
                "from_country": str(answer.from_country),
                "answered_at": answer.created_at,
            }
            for answer in answers.order_by("created_at", "pk")
        ],
    )


@eraser
def erase_registrations(user, *, keep_posts):
    services.account_registrations_end(user=user)


@link_resetter
def renew_calendar_address(user):
    if CalendarFeed.objects.filter(user=user).exists():
        services.calendar_feed_renew(user=user)

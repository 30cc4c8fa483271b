"""The emails of events (confirmations with their calendar file, a freed seat, a threshold
reached) go through the outbound queue: stored first, sent by the worker over SMTP with a
return path, once each even when their job runs twice; a member whose delivery is paused
gets none."""

import icalendar
import pytest

from goingsolo.events import services
from goingsolo.mail.models import DeliveryPause, OutboundEmail
from goingsolo.mail.reply_tokens import bounce_address
from tests.events.conftest import open_interest_check
from tests.factories import member_of
from tests.support import deliver_after_outage, recorded_jobs, run_again, sink_fixture

pytestmark = pytest.mark.django_db
# The mail server is down until the test brings it up: what is sent must wait in the queue.
sink = sink_fixture(started=False)


def queued_event_mail(user):
    [row] = OutboundEmail.objects.filter(recipient=user)
    assert (row.kind, row.priority) == ("event", OutboundEmail.Priority.PERSONAL)
    assert (row.status, row.attempts, row.to_address) == ("queued", 0, user.email)
    return row


def calendar_of(message):
    [attachment] = list(message.message.iter_attachments())
    assert attachment.get_filename() == "event.ics"
    assert attachment.get_content_type() == "text/calendar"
    return icalendar.Calendar.from_ical(attachment.get_content())


def test_a_confirmation_with_its_calendar_file_is_queued_then_sent_with_a_return_path(
    sink, make_event, register, group
):
    event = make_event(capacity=3)
    lena = member_of(group, email="lena@example.org", language="fr")
    register(event, lena)
    row = queued_event_mail(lena)
    assert sink.received == []

    deliver_after_outage(sink)
    message = sink.one_to("lena@example.org")
    assert message.mail_from == bounce_address(row.pk)
    assert str(message["Subject"]) == "Vous avez une place\u00a0: Café et coworking"
    [vevent] = calendar_of(message).walk("VEVENT")
    assert vevent.DTSTART == event.starts_at
    assert str(message["From"]).startswith("Going Solo <noreply@")


def test_the_news_of_a_freed_seat_is_queued_then_sent_with_the_calendar_file(
    sink, make_event, register, group
):
    event = make_event(capacity=1)
    first, waiting = member_of(group), member_of(group)
    register(event, first)
    register(event, waiting)
    OutboundEmail.objects.all().delete()  # the confirmations, not what this is about

    register(event, first, "not_going")
    [row] = OutboundEmail.objects.filter(recipient=waiting)
    assert (row.kind, row.status) == ("event", "queued")

    deliver_after_outage(sink)
    message = sink.one_to(waiting.email)
    assert message.mail_from == bounce_address(row.pk)
    assert "A seat freed up for you" in str(message["Subject"])
    assert calendar_of(message)


def test_reaching_a_threshold_is_queued_for_the_organiser_and_the_voters_and_sent_once(
    sink, group, organiser, django_capture_on_commit_callbacks
):
    check = open_interest_check(group, organiser, country="CH", days=(60, 120), threshold=2)
    voters = [member_of(group) for _ in range(2)]
    with recorded_jobs() as jobs, django_capture_on_commit_callbacks(execute=True):
        for voter in voters:
            services.interest_answer(check=check, user=voter, answer="yes")
    rows = OutboundEmail.objects.filter(kind="event")
    assert sorted(rows.values_list("to_address", flat=True)) == sorted(
        [organiser.email, *(voter.email for voter in voters)]
    )
    # The job run again, as after a crash: nothing more.
    [job] = [job for job in jobs if job.task.name == "threshold_reached"]
    with django_capture_on_commit_callbacks(execute=True):
        run_again(job)
    assert rows.count() == 3

    deliver_after_outage(sink)
    for person in (organiser, *voters):
        message = sink.one_to(person.email)
        assert message.mail_from == bounce_address(rows.get(recipient=person).pk)


def test_the_job_of_a_confirmation_run_again_after_a_crash_queues_nothing_more(
    sink, make_event, group, django_capture_on_commit_callbacks
):
    event = make_event()
    lena = member_of(group)
    with recorded_jobs() as jobs, django_capture_on_commit_callbacks(execute=True):
        services.registration_set(event=event, user=lena, status="going")
    [job] = [job for job in jobs if job.task.name == "send_registration_email"]
    with django_capture_on_commit_callbacks(execute=True):
        run_again(job)
    queued_event_mail(lena)

    deliver_after_outage(sink)
    assert len(sink.to(lena.email)) == 1


def test_a_member_whose_delivery_is_paused_gets_no_event_mail(sink, make_event, register, group):
    event = make_event()
    paused = member_of(group)
    DeliveryPause.objects.create(user=paused, address=paused.email, score=3)
    register(event, paused)

    deliver_after_outage(sink)
    row = OutboundEmail.objects.get(recipient=paused)
    assert (row.status, row.last_error) == (
        "cancelled",
        "The member's email delivery is paused (bounces).",
    )
    assert sink.received == []

"""The emails of groups (invitations, answers to join requests) go through the outbound
queue: stored first, sent by the worker over SMTP with a return path, once each even when
their job runs twice."""

import pytest

from goingsolo.groups import services
from goingsolo.groups.models import Role
from goingsolo.mail.models import OutboundEmail
from goingsolo.mail.reply_tokens import bounce_address
from tests.factories import UserFactory, member_of
from tests.support import deliver_after_outage, recorded_jobs, run_again, sink_fixture

pytestmark = pytest.mark.django_db
# The mail server is down until the test brings it up: what is sent must wait in the queue.
sink = sink_fixture(started=False)


def test_an_invitation_to_an_address_with_no_account_is_queued_then_sent_with_a_return_path(
    sink, group, django_capture_on_commit_callbacks
):
    admin = member_of(group, Role.ADMIN, display_name="Stephanie")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            group=group, email="zoe@example.org", by=admin, language="fr"
        )
    [row] = OutboundEmail.objects.filter(to_address="zoe@example.org")
    assert (row.kind, row.status, row.attempts, row.recipient) == ("notice", "queued", 0, None)
    assert row.priority == OutboundEmail.Priority.PERSONAL
    assert sink.received == []

    deliver_after_outage(sink)
    message = sink.one_to("zoe@example.org")
    assert message.mail_from == bounce_address(row.pk)
    assert str(message["Subject"]) == "Stephanie vous invite dans Going Solo"
    assert invitation.token in message.text()
    assert message["Auto-Submitted"] == "auto-generated"


def test_an_approved_applicant_is_told_in_their_language_through_the_queue(
    sink, group, django_capture_on_commit_callbacks
):
    admin = member_of(group, Role.ADMIN)
    applicant = UserFactory(language="fr", display_name="Camille")
    request = services.join_request_create(
        group=group, user=applicant, answers=[], accept_rules=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_approve(join_request=request, by=admin)
    [row] = OutboundEmail.objects.filter(recipient=applicant)
    assert (row.kind, row.status, row.to_address) == ("notice", "queued", applicant.email)

    deliver_after_outage(sink)
    message = sink.one_to(applicant.email)
    assert message.mail_from == bounce_address(row.pk)
    assert "Bienvenue" in str(message["Subject"])
    assert "approuvée" in message.text()
    row.refresh_from_db()
    assert row.status == "sent"


def test_the_job_of_an_approval_run_again_after_a_crash_queues_nothing_more(
    sink, group, django_capture_on_commit_callbacks
):
    admin = member_of(group, Role.ADMIN)
    applicant = UserFactory()
    request = services.join_request_create(
        group=group, user=applicant, answers=[], accept_rules=True
    )
    with recorded_jobs() as jobs, django_capture_on_commit_callbacks(execute=True):
        services.join_request_approve(join_request=request, by=admin)
    [job] = [job for job in jobs if job.task.name == "send_member_email"]
    with django_capture_on_commit_callbacks(execute=True):
        run_again(job)
        run_again(job)

    assert OutboundEmail.objects.filter(recipient=applicant).count() == 1
    deliver_after_outage(sink)
    assert len(sink.to(applicant.email)) == 1

"""Every email is stored first and sent by the worker: retries on temporary failures, no
retry on permanent ones, nothing lost when the server is down, announcements once per
member, DKIM when configured."""

import base64
from datetime import timedelta

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post
from goingsolo.groups.models import Role
from goingsolo.mail.models import Delivery, DeliveryPause, OutboundEmail
from goingsolo.mail.outbound import delivery
from goingsolo.mail.outbound.queue import queue_announcement, queue_post_emails
from goingsolo.mail.outbound.services import subscription_set_delivery
from tests.factories import member_of
from tests.support import free_port

from .outbound_helpers import SmtpSink, sink_fixture

pytestmark = pytest.mark.django_db
sink = sink_fixture()
Status = OutboundEmail.Status


@pytest.fixture(autouse=True)
def _mail_domain(settings):
    settings.GOINGSOLO_MAIL_DOMAIN = "lists.example.org"


def reader(group, delivery=Delivery.EVERY, **fields):
    user = member_of(group, **fields)
    subscription_set_delivery(user=user, group=group, delivery=delivery)
    return user


def post(group, author, capture, title="Vos matinées"):
    with capture(execute=True):
        return discussions.thread_start(
            group=group, author=author, title=title, body="Bonjour"
        ).post


def test_a_temporary_failure_is_retried_later_with_backoff(
    sink, group, django_capture_on_commit_callbacks
):
    bob = reader(group)
    sink.replies = ["451 4.3.0 Mailbox busy, try again later"]
    post(group, member_of(group), django_capture_on_commit_callbacks)

    email = OutboundEmail.objects.get(recipient=bob)
    assert (email.status, email.attempts, sink.received) == (Status.QUEUED, 1, [])
    assert "451" in email.last_error
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert delivery.send_due().sent == 0  # not due yet

    report = delivery.send_due(now=timezone.now() + timedelta(minutes=2))
    email.refresh_from_db()
    assert report.sent == 1 and email.status == Status.SENT and email.attempts == 2
    assert len(sink.to(bob.email)) == 1
    assert delivery.retry_delay(1) < delivery.retry_delay(2) < delivery.retry_delay(3)


def test_each_retry_of_a_backoff_gets_a_wake_up_of_its_own():
    """Workers finishing together ask for one wake-up; the next retry, seconds later (a
    server still answering 4xx), for another (tests/topology/test_mail.py sees it)."""
    at = timezone.now() + timedelta(seconds=1)
    assert delivery.claim_wakeup(at)
    assert not delivery.claim_wakeup(at)
    assert delivery.claim_wakeup(at + timedelta(seconds=2))


def test_a_permanent_failure_is_not_retried_and_attempts_are_bounded(
    sink, group, settings, django_capture_on_commit_callbacks
):
    settings.GOINGSOLO_MAIL_MAX_ATTEMPTS = 2
    gone = reader(group)
    busy = reader(group)
    sink.replies_to = {
        gone.email: ["550 5.1.1 No such user"],
        busy.email: ["451 4.3.0 Busy", "451 4.3.0 Still busy"],
    }
    post(group, member_of(group), django_capture_on_commit_callbacks)
    delivery.send_due(now=timezone.now() + timedelta(hours=1))

    refused = OutboundEmail.objects.get(recipient=gone)
    given_up = OutboundEmail.objects.get(recipient=busy)
    assert (refused.status, refused.attempts) == (Status.FAILED, 1)
    assert refused.last_error.startswith("550")
    assert (given_up.status, given_up.attempts) == (Status.FAILED, 2)
    assert sink.received == []


def test_nothing_is_lost_while_the_mail_server_is_down(
    group, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    bob = reader(group)
    post(group, member_of(group), django_capture_on_commit_callbacks)
    email = OutboundEmail.objects.get(recipient=bob)
    assert (email.status, email.attempts) == (Status.QUEUED, 0)

    server = SmtpSink()
    server.start()
    try:
        settings.EMAIL_PORT = server.port
        delivery.send_due(now=timezone.now() + timedelta(minutes=5))
        assert len(server.to(bob.email)) == 1
    finally:
        server.stop()


def test_rows_of_a_worker_whose_lease_expired_are_sent_by_the_next(
    sink, group, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    members = [reader(group) for _ in range(3)]
    # Jobs do not run here: the rows are queued by hand and nobody sends them yet.
    queue_post_emails(post(group, member_of(group), django_capture_on_commit_callbacks))
    _token, rows = delivery.claim(10)
    assert len(rows) == 3
    # The worker died mid-transaction of the first one.
    OutboundEmail.objects.filter(pk=rows[0].pk).update(in_flight=True, attempts=1)
    assert delivery.send_due().sent == 0  # the lease still holds
    OutboundEmail.objects.update(claimed_at=timezone.now() - timedelta(hours=1))

    report = delivery.send_due()
    assert (report.requeued, report.sent) == (3, 3)
    for member in members:
        assert len(sink.to(member.email)) == 1
    assert sorted(OutboundEmail.objects.values_list("attempts", flat=True)) == [1, 1, 2]


def test_an_announcement_reaches_every_member_once_unless_they_chose_nothing(
    sink, group, django_capture_on_commit_callbacks
):
    admin = member_of(group, role=Role.ADMIN)
    every = reader(group, Delivery.EVERY)
    daily = member_of(group)
    mine = reader(group, Delivery.MINE)
    nothing = reader(group, Delivery.NONE)
    weekly = reader(group, Delivery.WEEKLY)

    opening = post(group, admin, django_capture_on_commit_callbacks, title="AGM on Friday")
    with django_capture_on_commit_callbacks(execute=True):
        discussions.thread_announce(thread=opening.thread, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        queue_announcement(opening.thread)  # again: nothing more

    assert len(sink.to(every.email)) == 1  # the post mail, not the announcement as well
    for member in (daily, mine, weekly):
        message = sink.one_to(member.email)
        assert str(message["Subject"]) == "[Going Solo] Announcement: AGM on Friday"
        assert (
            str(message["Message-ID"])
            == f"<post-{opening.pk}.{opening.thread_id}@lists.example.org>"
        )
        assert message["Auto-Submitted"] is None
    for member in (nothing, admin):
        assert sink.to(member.email) == []


def test_emails_are_dkim_signed_when_a_key_is_configured(
    sink, group, settings, tmp_path, django_capture_on_commit_callbacks
):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "dkim.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings.GOINGSOLO_DKIM_PRIVATE_KEY_PATH = str(path)
    settings.GOINGSOLO_DKIM_SELECTOR = "s2026"
    settings.GOINGSOLO_DKIM_DOMAIN = "lists.example.org"
    asked = []

    def dns(name, timeout=5):
        asked.append(name)
        return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    bob = reader(group)
    post(
        group, member_of(group, display_name="Marie-Ève Dûpont"), django_capture_on_commit_callbacks
    )
    raw = sink.one_to(bob.email).raw
    assert dkim.verify(raw, dnsfunc=dns)
    assert asked == [b"s2026._domainkey.lists.example.org."]
    signature = sink.one_to(bob.email).message["DKIM-Signature"]
    assert "list-unsubscribe:list-unsubscribe-post" in signature.lower().replace(" ", "")
    tampered = raw.replace(
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x"
    )
    assert not dkim.verify(tampered, dnsfunc=dns)


def test_a_member_paused_by_bounce_handling_gets_nothing(
    sink, group, django_capture_on_commit_callbacks
):
    paused = reader(group)
    queued_then_paused = reader(group)
    delivered = reader(group)
    DeliveryPause.objects.create(user=paused, address=paused.email)
    with django_capture_on_commit_callbacks(execute=False):
        discussions.thread_start(group=group, author=member_of(group), title="T", body="B")

    queue_post_emails(Post.objects.get(thread__title="T"))
    assert not OutboundEmail.objects.filter(recipient=paused).exists()
    DeliveryPause.objects.create(user=queued_then_paused, address=queued_then_paused.email)
    delivery.send_due()
    email = OutboundEmail.objects.get(recipient=queued_then_paused)
    assert email.status == Status.CANCELLED and "paused" in email.last_error
    assert sink.to(paused.email) == sink.to(queued_then_paused.email) == []
    assert len(sink.to(delivered.email)) == 1

"""One way out: every email the instance sends goes through the stored outbound queue, with
its retries, its VERP return path and the bounce rules; security mail first and through a
bounce pause; with the mail server down and back, nothing lost and nothing doubled."""

import base64
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goingsolo.core.emails import Kind, build_email
from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.groups import services as groups
from goingsolo.groups.models import Role
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.loops import ORIGIN_HEADER
from goingsolo.mail.models import BounceEvent, Delivery, DeliveryPause, OutboundEmail
from goingsolo.mail.outbound import delivery
from goingsolo.mail.outbound.queue import queue_post_emails
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import bounce_address
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, UserFactory, member_of
from tests.support import (
    SmtpSink,
    deliver_after_outage,
    recorded_jobs,
    run_again,
    sink_fixture,
    use_sink,
)

from .inbound_support import delivery_report, group_address, plain_message, signed_by_sender

pytestmark = pytest.mark.django_db
sink = sink_fixture()
DOMAIN = "lists.example.org"
Status = OutboundEmail.Status


@pytest.fixture(autouse=True)
def _mail_domain_and_fresh_cache(settings):
    settings.GOINGSOLO_MAIL_DOMAIN = DOMAIN
    cache.clear()  # the hourly allowance of explanations to a stranger


@pytest.fixture
def group():
    return GroupFactory(name="Going Solo", slug="going-solo", join_policy="approval")


def receive(capture, raw, recipients, mail_from="someone@example.net"):
    """Stores RAW as the listener would, and runs what follows (its job, the emails)."""
    with capture(execute=True):
        stored = inbound_store(raw=raw, mail_from=mail_from, recipients=recipients)
    stored.refresh_from_db()
    return stored


def request_password_reset(address, capture):
    with capture(execute=True):
        Client().post(reverse("account_reset_password"), {"email": address})


# --- Auto-replies -------------------------------------------------------------------------


def test_a_refusal_keeps_its_auto_reply_headers_and_is_sent_once_with_a_return_path(
    settings, group, django_capture_on_commit_callbacks
):
    down = SmtpSink()
    use_sink(settings, down)
    stranger = plain_message(
        sender="Eve <eve@example.net>", to=group_address(group), message_id="<m1@example.net>"
    )
    with recorded_jobs() as jobs:
        # Signed by the stranger's provider: only a proven sender is ever told anything.
        raw = signed_by_sender(stranger.as_bytes())
        receive(django_capture_on_commit_callbacks, raw, [group_address(group)])
    [row] = OutboundEmail.objects.all()
    assert (row.kind, row.status, row.attempts) == ("refusal", "queued", 0)
    assert (row.recipient, row.to_address) == (None, "eve@example.net")
    # Its job run again, as after a crash: nothing more.
    [job] = [job for job in jobs if job.task.name == "send_inbound_refusal"]
    with django_capture_on_commit_callbacks(execute=True):
        run_again(job)
    assert OutboundEmail.objects.count() == 1

    try:
        deliver_after_outage(down)
        message = down.one_to("eve@example.net")
    finally:
        down.stop()
    assert message.mail_from == bounce_address(row.pk)
    assert message["Auto-Submitted"] == "auto-replied"
    assert message[ORIGIN_HEADER] == DOMAIN
    assert message["In-Reply-To"] == "<m1@example.net>"
    assert str(message["Message-ID"]).endswith(f"@{DOMAIN}>")


# --- The mail server down, then back ------------------------------------------------------


def test_with_the_mail_server_down_then_refusing_then_back_every_email_arrives_once(
    settings, group, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    server = SmtpSink()
    use_sink(settings, server)  # not started: connections are refused
    admin = member_of(group, Role.ADMIN, email="admin@example.org")
    marie = member_of(group, email="marie@example.org", language="fr")
    paul = member_of(group, email="paul@example.org")
    applicant = UserFactory(email="camille@example.org")
    request = groups.join_request_create(group=group, user=applicant, answers=[], accept_rules=True)
    OutboundEmail.objects.all().delete()  # the admins' notice of the request, queued already

    # Account mail: a sign-up's verification, a password reset, a login code.
    with capture(execute=True):
        Client().post(
            reverse("account_signup"),
            {
                "email": "newcomer@example.org",
                "password1": "a long and unusual passphrase",
                "password2": "a long and unusual passphrase",
                "display_name": "Newcomer",
            },
        )
    request_password_reset(marie.email, capture)
    with capture(execute=True):
        Client().post(reverse("account_request_login_code"), {"email": paul.email})
    # Notices: an invitation, an approval.
    with capture(execute=True):
        groups.invitation_create(group=group, email="zoe@example.org", by=admin, language="en")
        groups.join_request_approve(join_request=request, by=admin)
    # Events: a confirmation, then a freed seat; a threshold reached.
    with capture(execute=True):
        event = events.event_create(group=group, by=admin, **event_fields(capacity=1))
    for user in (marie, paul):
        with capture(execute=True):
            events.registration_set(event=event, user=user, status="going")
    with capture(execute=True):
        events.registration_set(event=event, user=marie, status="not_going")
    today = timezone.localdate()
    check = events.interest_check_open(
        group=group,
        by=admin,
        kind="barcamp",
        city="Lausanne",
        country="CH",
        window_start=today + timedelta(days=60),
        window_end=today + timedelta(days=90),
        threshold=1,
    )
    with capture(execute=True):
        events.interest_answer(check=check, user=paul, answer="yes")
    # A refusal to a stranger.
    receive(
        capture,
        signed_by_sender(
            plain_message(sender="eve@example.net", to=group_address(group)).as_bytes()
        ),
        [group_address(group)],
    )

    rows = list(OutboundEmail.objects.order_by("pk"))
    assert Counter(row.kind for row in rows) == {
        "account": 3,
        "notice": 2,
        "event": 6,
        "refusal": 1,
    }
    # All stored, none lost, none sent: the worker found the server down each time.
    assert {(row.status, row.attempts) for row in rows} == {("queued", 0)}
    assert server.received == []

    # Back, but answering 421 to the first message (and closing), then 451 to the next.
    server.replies = ["421 4.3.2 Service shutting down", "451 4.3.0 Try again later"]
    try:
        deliver_after_outage(server)
        for minutes in (10, 30, 90, 240):
            if not OutboundEmail.objects.filter(status=Status.QUEUED).exists():
                break
            delivery.send_due(now=timezone.now() + timedelta(minutes=minutes))
    finally:
        server.stop()

    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {Status.SENT}
    # Each email arrived once, from its own return path.
    received = Counter((message.to, str(message["Message-ID"])) for message in server.received)
    assert set(received.values()) == {1}
    return_paths = {(m.to, str(m["Message-ID"])): m.mail_from for m in server.received}
    assert return_paths == {
        (row.to_address, row.message_id): bounce_address(row.pk) for row in rows
    }
    # Three tries failed (the 421, the next on the closed connection, the 451): each was
    # tried again later; every other email went out at its first try.
    attempts = list(OutboundEmail.objects.values_list("attempts", flat=True))
    assert sum(attempts) == len(rows) + 3


# --- Order and pauses ---------------------------------------------------------------------


def test_security_mail_goes_out_before_a_big_batch_of_list_mail_queued_earlier(
    sink, settings, group, django_capture_on_commit_callbacks
):
    # Jobs wait here: the queue fills and nothing sends it until the worker runs below.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    readers = [member_of(group) for _ in range(30)]
    for reader in readers:
        subscription_set_delivery(user=reader, group=group, delivery=Delivery.EVERY)
    with django_capture_on_commit_callbacks(execute=True):
        post = discussions.thread_start(
            group=group, author=member_of(group), title="Vos matinées", body="Bonjour"
        ).post
    queue_post_emails(post)
    forgetful = readers[-1]
    request_password_reset(forgetful.email, django_capture_on_commit_callbacks)
    assert OutboundEmail.objects.filter(status=Status.QUEUED).count() == 31

    report = delivery.send_due(batch_size=10)

    assert report.sent == 31
    first = sink.received[0]
    assert first.to == forgetful.email
    assert "/accounts/password/reset/key/" in first.text()


def test_a_paused_member_gets_no_notice_or_event_mail_but_gets_a_password_reset(
    sink, group, django_capture_on_commit_callbacks
):
    admin = member_of(group, Role.ADMIN)
    paused = UserFactory(email="bouncing@example.org")
    DeliveryPause.objects.create(user=paused, address=paused.email, score=3)
    request = groups.join_request_create(group=group, user=paused, answers=[], accept_rules=True)
    with django_capture_on_commit_callbacks(execute=True):
        groups.join_request_approve(join_request=request, by=admin)
        event = events.event_create(group=group, by=admin, **event_fields())
    with django_capture_on_commit_callbacks(execute=True):
        events.registration_set(event=event, user=paused, status="going")
    request_password_reset(paused.email, django_capture_on_commit_callbacks)

    [message] = sink.to(paused.email)
    assert "/accounts/password/reset/key/" in message.text()
    held = OutboundEmail.objects.filter(recipient=paused).exclude(kind="account")
    assert sorted(held.values_list("kind", "status")) == [
        ("event", "cancelled"),
        ("notice", "cancelled"),
    ]
    assert set(held.values_list("last_error", flat=True)) == {
        "The member's email delivery is paused (bounces)."
    }


# --- Bounces ------------------------------------------------------------------------------


def test_a_bounce_of_a_notice_counts_for_its_member(
    sink, group, django_capture_on_commit_callbacks
):
    admin = member_of(group, Role.ADMIN)
    applicant = UserFactory(email="camille@example.org")
    request = groups.join_request_create(group=group, user=applicant, answers=[], accept_rules=True)
    with django_capture_on_commit_callbacks(execute=True):
        groups.join_request_approve(join_request=request, by=admin)
    return_path = sink.one_to(applicant.email).mail_from

    stored = receive(
        django_capture_on_commit_callbacks,
        delivery_report(to=return_path, recipient=applicant.email),
        [return_path],
        mail_from="<>",
    )

    assert (stored.kind, stored.author) == ("bounce", applicant)
    event = BounceEvent.objects.get()
    assert (event.user, event.address, event.counted) == (applicant, applicant.email, True)


# --- Signing, the console, nothing around the queue --------------------------------------


def test_account_mail_is_dkim_signed_when_a_key_is_configured(
    sink, settings, tmp_path, django_capture_on_commit_callbacks
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
    settings.GOINGSOLO_DKIM_DOMAIN = DOMAIN
    user = UserFactory(email="signed@example.org")

    request_password_reset(user.email, django_capture_on_commit_callbacks)

    raw = sink.one_to(user.email).raw
    assert dkim.verify(
        raw, dnsfunc=lambda name, timeout=5: b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    )


def test_the_embedded_run_prints_queued_emails_on_the_console(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        build_email(
            "invitation",
            {
                "group_name": "Going Solo",
                "inviter_name": "Stephanie",
                "invitation_url": "http://127.0.0.1:8000/invitation/abc/",
                "expires_at": timezone.now().isoformat(),
            },
            to="zoe@example.org",
            language="en",
        ).send()

    printed = capsys.readouterr().out
    assert "Subject: Stephanie invites you to Going Solo" in printed
    assert "http://127.0.0.1:8000/invitation/abc/" in printed
    assert OutboundEmail.objects.get().status == Status.SENT


def test_an_email_cannot_be_queued_whole_as_list_mail():
    message = build_email(
        "join_request_refused",
        {"group_name": "Going Solo", "reason": ""},
        to="someone@example.org",
        language="en",
        kind=OutboundEmail.Kind.DIGEST_DAILY,
    )
    with pytest.raises(ValueError):
        message.send()
    assert not OutboundEmail.objects.exists()


def test_no_code_hands_a_message_to_djangos_email_backend_but_the_queue_and_its_worker():
    """Django's senders (send_mail, mail_admins…) and connections stay out of the code:
    the queue (core/emails.py binds messages to it) and the worker (outbound/delivery.py) only."""
    root = Path(__file__).resolve().parents[2] / "goingsolo"
    allowed = {
        "core/emails.py": {"get_connection"},
        "mail/outbound/delivery.py": {"get_connection"},
    }
    senders = re.compile(r"\b(get_connection|send_mail|send_mass_mail|mail_admins|mail_managers)\b")
    found = {}
    for path in root.rglob("*.py"):
        name = path.relative_to(root).as_posix()
        text = path.read_text()
        # allauth's adapter overrides its own send_mail method; it calls no Django sender.
        text = re.sub(r"def send_mail\(", "", text)
        used = set(senders.findall(text)) - allowed.get(name, set())
        if used:
            found[name] = used
    assert found == {}


def test_the_kinds_core_names_are_kinds_of_the_queue():
    named = {value for name, value in vars(Kind).items() if name.isupper()}
    assert named == {"account", "notice", "event", "refusal"}
    assert named <= set(OutboundEmail.Kind.values)
    assert Kind.SECURITY == OutboundEmail.Kind.ACCOUNT

"""Bounces: reports add to a member's score; past the threshold their email is paused."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from goingsolo.mail.inbound.bounces import PAUSE_THRESHOLD, bounce_score, failures_in_report
from goingsolo.mail.inbound.parsing import parse_message
from goingsolo.mail.inbound.services import inbound_store
from goingsolo.mail.models import BounceEvent, DeliveryPause
from goingsolo.mail.outbound.pauses import delivery_paused, paused_user_ids
from goingsolo.mail.reply_tokens import bounce_address
from tests.factories import member_of

from .inbound_support import delivery_report, group_address, plain_message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def marie(group):
    return member_of(group, email="marie@example.org", display_name="Marie")


def receive(callbacks, raw, recipients, mail_from="<>"):
    with callbacks(execute=True):
        stored = inbound_store(raw=raw, mail_from=mail_from, recipients=recipients)
    stored.refresh_from_db()
    return stored


def move_latest_bounces(days_ago):
    """Dates the reports of the last minute DAYS_AGO, as if they had come then."""
    BounceEvent.objects.filter(created_at__gte=timezone.now() - timedelta(minutes=1)).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )


def test_a_hard_bounce_on_the_return_path_counts_one(django_capture_on_commit_callbacks, marie):
    stored = receive(
        django_capture_on_commit_callbacks,
        delivery_report(to=bounce_address(marie), recipient="marie@example.org"),
        [bounce_address(marie)],
    )
    assert (stored.status, stored.kind, stored.author) == ("processed", "bounce", marie)
    event = BounceEvent.objects.get()
    assert (event.kind, event.status, event.address, event.counted) == (
        "hard",
        "5.1.1",
        "marie@example.org",
        True,
    )
    assert bounce_score(marie) == 1.0
    assert not delivery_paused(marie)


def test_a_soft_bounce_counts_a_quarter(django_capture_on_commit_callbacks, marie):
    receive(
        django_capture_on_commit_callbacks,
        delivery_report(to=bounce_address(marie), recipient="marie@example.org", status="4.2.2"),
        [bounce_address(marie)],
    )
    assert BounceEvent.objects.get().kind == "soft"
    assert bounce_score(marie) == 0.25


def test_a_delay_warning_does_not_count(django_capture_on_commit_callbacks, marie):
    stored = receive(
        django_capture_on_commit_callbacks,
        delivery_report(
            to=bounce_address(marie),
            recipient="marie@example.org",
            status="4.4.1",
            action="delayed",
        ),
        [bounce_address(marie)],
    )
    assert stored.status == "ignored"
    assert not BounceEvent.objects.exists()


def test_hard_bounces_on_three_days_pause_delivery_and_the_member_resumes_on_the_web(
    django_capture_on_commit_callbacks, client, marie
):
    for days_ago in (10, 5):
        receive(
            django_capture_on_commit_callbacks,
            delivery_report(to=bounce_address(marie), recipient="marie@example.org"),
            [bounce_address(marie)],
        )
        move_latest_bounces(days_ago)
    assert not delivery_paused(marie)
    receive(
        django_capture_on_commit_callbacks,
        delivery_report(to=bounce_address(marie), recipient="marie@example.org"),
        [bounce_address(marie)],
    )

    assert bounce_score(marie) == PAUSE_THRESHOLD
    assert delivery_paused(marie)
    assert paused_user_ids([marie.pk, marie.pk + 1000]) == {marie.pk}
    client.force_login(marie)
    home = client.get(reverse("home")).content.decode()
    assert "Emails to you are paused" in home
    response = client.post(reverse("mail:delivery_resume"))
    assert response.status_code == 302
    assert not delivery_paused(marie)
    assert bounce_score(marie) == 0
    assert "Emails to you are paused" not in client.get(reverse("home")).content.decode()


def test_many_bounces_on_one_day_count_once(django_capture_on_commit_callbacks, marie):
    for _ in range(5):
        receive(
            django_capture_on_commit_callbacks,
            delivery_report(to=bounce_address(marie), recipient="marie@example.org"),
            [bounce_address(marie)],
        )
    assert BounceEvent.objects.count() == 5
    assert bounce_score(marie) == 1.0
    assert not delivery_paused(marie)


def test_bounces_older_than_thirty_days_no_longer_count(django_capture_on_commit_callbacks, marie):
    receive(
        django_capture_on_commit_callbacks,
        delivery_report(to=bounce_address(marie), recipient="marie@example.org"),
        [bounce_address(marie)],
    )
    move_latest_bounces(31)
    assert bounce_score(marie) == 0


def test_a_report_without_a_valid_token_is_kept_but_not_counted(
    django_capture_on_commit_callbacks, group, marie
):
    forged = receive(
        django_capture_on_commit_callbacks,
        delivery_report(to=group_address(group), recipient="marie@example.org"),
        [group_address(group)],
    )
    assert forged.kind == "bounce" and "not counted" in forged.note
    bad_token = receive(
        django_capture_on_commit_callbacks,
        delivery_report(to="bounces@127.0.0.1", recipient="marie@example.org"),
        ["bounces+1.deadbeef@127.0.0.1"],
    )
    assert bad_token.kind == "bounce"
    assert list(BounceEvent.objects.values_list("user", "counted")) == [
        (marie.pk, False),
        (marie.pk, False),
    ]
    assert bounce_score(marie) == 0


def test_a_plain_text_bounce_from_an_old_server_counts_by_its_code(
    django_capture_on_commit_callbacks, marie
):
    raw = plain_message(
        sender="MAILER-DAEMON@old.example.net",
        to=bounce_address(marie),
        subject="failure notice",
        body="Hi. This is the qmail-send program.\n<marie@example.org>:\n550 5.1.1 mailbox unknown\n",
    ).as_bytes()
    stored = receive(django_capture_on_commit_callbacks, raw, [bounce_address(marie)])
    assert stored.status == "processed"
    assert BounceEvent.objects.get().kind == "hard"


def test_an_out_of_office_sent_to_the_return_path_is_not_a_bounce(
    django_capture_on_commit_callbacks, marie
):
    raw = plain_message(
        sender="marie@example.org",
        to=bounce_address(marie),
        subject="Réponse automatique : [Going Solo] Petit-déjeuner",
        headers={"Auto-Submitted": "auto-replied"},
    ).as_bytes()
    stored = receive(django_capture_on_commit_callbacks, raw, [bounce_address(marie)])
    assert (stored.status, stored.kind) == ("ignored", "bounce")
    assert not BounceEvent.objects.exists()


def test_a_report_names_each_failed_recipient():
    parsed = parse_message(delivery_report(to="x@example.org", recipient="a@example.org"))
    [failure] = failures_in_report(parsed)
    assert (failure.address, failure.kind, failure.status) == ("a@example.org", "hard", "5.1.1")
    assert "Recipient address rejected" in failure.diagnostic


def test_resuming_needs_a_post_and_a_login(client, marie):
    DeliveryPause.objects.create(user=marie, address=marie.email, score=3)
    response = client.post(reverse("mail:delivery_resume"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(marie)
    assert client.get(reverse("mail:delivery_resume")).status_code == 405
    assert delivery_paused(marie)

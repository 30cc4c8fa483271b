"""The worker's schedule sends event reminders: every ten minutes, the seats at events
starting within 24 hours are reminded, each once, as `goingsolo events send-reminders` does."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from goingsolo.core import scheduler
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def test_the_schedule_reminds_each_seat_once(
    make_event, register, group, django_capture_on_commit_callbacks
):
    now = timezone.now()
    soon = now + timedelta(days=2)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=2))
    member = member_of(group, email="going@example.org")
    register(event, member)
    mail.outbox.clear()

    def check(at):
        with django_capture_on_commit_callbacks(execute=True):
            return scheduler.run_due(now=at, names=["event-reminders"])

    check(soon - timedelta(hours=25))  # more than a day ahead: not yet
    assert mail.outbox == []
    [outcome] = check(soon - timedelta(hours=23))
    assert outcome.result == "1 reminders queued"
    check(soon - timedelta(hours=23) + timedelta(minutes=10))  # the next slot: none again
    assert [message.to for message in mail.outbox] == [["going@example.org"]]

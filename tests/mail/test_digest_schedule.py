"""The mail's entries in the worker's schedule: a member's digest goes out at
GOINGSOLO_DIGEST_HOUR in their own time zone (daily ones every day, weekly ones on their
Monday), once per local date (week), whatever the clock does; inbound mail is caught up.

The schedule is checked with a clock the test chooses (`run_due(now=…)`); emails stay in
the outbound queue, where their idempotency keys say which period each one covers."""

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from goingsolo.core import scheduler
from goingsolo.core.models import ScheduledRun
from goingsolo.discussions import services as discussions
from goingsolo.groups.models import Membership
from goingsolo.mail.models import Delivery, InboundMessage, OutboundEmail
from goingsolo.mail.outbound.services import subscription_set_delivery
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


def _a_monday_ahead():
    """A Monday more than a week after today: members made now joined before it."""
    day = timezone.now().date() + timedelta(days=8)
    return day + timedelta(days=(7 - day.weekday()) % 7)


MONDAY = _a_monday_ahead()
SUNDAY = MONDAY - timedelta(days=1)


def at(zone, hour, minute=0, second=30, day=MONDAY):
    return datetime.combine(day, time(hour, minute, second), ZoneInfo(zone))


@pytest.fixture(autouse=True)
def _seven_oclock(settings):
    settings.GOINGSOLO_DIGEST_HOUR = 7


@pytest.fixture
def group():
    return GroupFactory(name="Going Solo", slug="going-solo")


def check(now, frequency="daily"):
    """One check of the schedule at NOW, for the digests."""
    return scheduler.run_due(now=now, names=[f"digests-{frequency}"])


def post(group, author, created_at, title="Mornings"):
    discussions.thread_start(
        group=group, author=author, title=title, body="How do you start?", created_at=created_at
    )


def digests(kind=OutboundEmail.Kind.DIGEST_DAILY):
    """{recipient: [idempotency keys]} of the digests queued."""
    found = {}
    for recipient_id, key in OutboundEmail.objects.filter(kind=kind).values_list(
        "recipient_id", "idempotency_key"
    ):
        found.setdefault(recipient_id, []).append(key)
    return found


def key(member, group, period, frequency="daily"):
    return f"digest-{frequency}:{period}:{group.pk}:{member.pk}"


def test_each_member_gets_the_daily_digest_at_seven_in_their_own_time_zone(group):
    author = member_of(group, time_zone="Europe/Zurich")
    zurich = member_of(group, time_zone="Europe/Zurich")
    tokyo = member_of(group, time_zone="Asia/Tokyo")
    los_angeles = member_of(group, time_zone="America/Los_Angeles")
    # Sunday's checks, with nothing new yet: Zurich and Los Angeles have had their morning.
    check(at("America/Los_Angeles", 7, day=SUNDAY))
    assert digests() == {}
    post(group, author, at("UTC", 16, day=SUNDAY))

    # Monday comes first in Tokyo.
    check(at("Asia/Tokyo", 6, 59))
    assert digests() == {}
    check(at("Asia/Tokyo", 7, 0))
    assert digests() == {tokyo.pk: [key(tokyo, group, MONDAY)]}
    check(at("Asia/Tokyo", 7, 30))

    # Then Zurich, then Los Angeles: each at their own seven o'clock, not before.
    check(at("Europe/Zurich", 6, 59))
    assert set(digests()) == {tokyo.pk}
    check(at("Europe/Zurich", 7, 0))
    assert set(digests()) == {tokyo.pk, zurich.pk}
    check(at("America/Los_Angeles", 6, 59))
    assert set(digests()) == {tokyo.pk, zurich.pk}
    check(at("America/Los_Angeles", 7, 0))
    check(at("America/Los_Angeles", 12, 0))

    assert digests() == {
        tokyo.pk: [key(tokyo, group, MONDAY)],
        zurich.pk: [key(zurich, group, MONDAY)],
        los_angeles.pk: [key(los_angeles, group, MONDAY)],
    }
    # The author's own post is no news to them.
    assert author.pk not in digests()


def test_the_next_morning_brings_the_next_digest_with_only_what_is_new(group):
    author = member_of(group, time_zone="Asia/Tokyo")
    tokyo = member_of(group, time_zone="Asia/Tokyo")
    post(group, author, at("UTC", 12, day=SUNDAY), title="First")
    check(at("Asia/Tokyo", 7, 5))
    post(group, author, at("Asia/Tokyo", 9, 0), title="Second")

    check(at("Asia/Tokyo", 23, 0))  # later the same day: nothing more
    assert len(digests()[tokyo.pk]) == 1
    check(at("Asia/Tokyo", 7, 5, day=MONDAY + timedelta(days=1)))

    first, second = OutboundEmail.objects.filter(recipient=tokyo).order_by("pk")
    assert second.idempotency_key == key(tokyo, group, MONDAY + timedelta(days=1))
    assert "First" in first.part.text and "Second" not in first.part.text
    assert "Second" in second.part.text and "First" not in second.part.text


def test_the_weekly_digest_goes_out_on_the_members_monday_once_a_week(group):
    author = member_of(group, time_zone="Europe/Zurich")
    tokyo = member_of(group, time_zone="Asia/Tokyo")
    subscription_set_delivery(user=tokyo, group=group, delivery=Delivery.WEEKLY)
    week = MONDAY.isocalendar()
    this_week = f"{week.year}-W{week.week:02d}"
    check(at("Asia/Tokyo", 12, day=SUNDAY), "weekly")  # last week's, with nothing new
    post(group, author, at("Asia/Tokyo", 18, day=SUNDAY))

    check(at("Asia/Tokyo", 6, 59), "weekly")
    assert digests(OutboundEmail.Kind.DIGEST_WEEKLY) == {}
    check(at("Asia/Tokyo", 7, 0), "weekly")
    assert digests(OutboundEmail.Kind.DIGEST_WEEKLY) == {
        tokyo.pk: [key(tokyo, group, this_week, "weekly")]
    }

    # Nothing more that week, even with news; the next Monday brings it.
    post(group, author, at("Asia/Tokyo", 9, day=MONDAY + timedelta(days=1)), title="Tuesday")
    for day in range(1, 7):
        check(at("Asia/Tokyo", 8, day=MONDAY + timedelta(days=day)), "weekly")
    assert len(digests(OutboundEmail.Kind.DIGEST_WEEKLY)[tokyo.pk]) == 1
    check(at("Asia/Tokyo", 7, 0, day=MONDAY + timedelta(days=7)), "weekly")
    assert len(digests(OutboundEmail.Kind.DIGEST_WEEKLY)[tokyo.pk]) == 2
    # Daily digests are another entry: the weekly member gets none.
    check(at("Asia/Tokyo", 8, day=MONDAY + timedelta(days=7)))
    assert tokyo.pk not in digests()


def test_a_clock_set_back_sends_no_second_digest(group):
    author = member_of(group, time_zone="Europe/Zurich")
    zurich = member_of(group, time_zone="Europe/Zurich")
    post(group, author, at("UTC", 12, day=SUNDAY))
    check(at("Europe/Zurich", 7, 10))
    assert len(digests()[zurich.pk]) == 1

    # The clock goes back an hour, then forward again past seven.
    check(at("Europe/Zurich", 6, 10))
    check(at("Europe/Zurich", 7, 10))
    assert len(digests()[zurich.pk]) == 1

    # Even a schedule that forgot the morning's run (its rows gone) sends no second digest
    # for the date: the digest's own key is per member and local date.
    ScheduledRun.objects.all().delete()
    post(group, author, at("Europe/Zurich", 7, 15), title="After the first digest")
    [outcome] = check(at("Europe/Zurich", 7, 20))
    assert outcome.ok and outcome.result.queued == 0
    assert digests() == {zurich.pk: [key(zurich, group, MONDAY)]}


def test_cron_and_the_worker_share_the_claims(group, settings):
    """`goingsolo mail send-digests` runs the schedule's entry: cron and the worker together
    still queue each digest once."""
    settings.GOINGSOLO_DIGEST_HOUR = 0  # every zone's morning has come, whatever the time
    author = member_of(group)
    reader = member_of(group)
    Membership.objects.filter(group=group).update(joined_at=timezone.now() - timedelta(days=2))
    post(group, author, timezone.now() - timedelta(hours=1))

    out = io.StringIO()
    call_command("mail", "send-digests", "--daily", stdout=out)
    assert "1 digests queued" in out.getvalue()
    out = io.StringIO()
    call_command("mail", "send-digests", "--daily", stdout=out)
    assert "No daily digest is due now." in out.getvalue()
    assert scheduler.run_due(names=["digests-daily"]) == []
    assert list(digests()) == [reader.pk]


def test_inbound_mail_left_behind_is_caught_up():
    now = timezone.now()
    lost = InboundMessage.objects.create(
        raw=b"Subject: hello\r\n\r\nA job lost before it ran.\r\n",
        recipients=["going-solo@example.org"],
        received_at=now - timedelta(minutes=10),
    )
    unconfirmed = InboundMessage.objects.create(
        raw=b"Subject: hello\r\n\r\nNever confirmed.\r\n",
        status=InboundMessage.Status.AWAITING,
        received_at=now - timedelta(days=30),
    )

    [outcome] = scheduler.run_due(now=now, names=["inbound-catch-up"])

    assert outcome.ok, outcome.error
    lost.refresh_from_db()
    unconfirmed.refresh_from_db()
    assert lost.status != InboundMessage.Status.RECEIVED and lost.processed_at is not None
    assert unconfirmed.status == InboundMessage.Status.REJECTED


def test_a_clock_set_back_a_day_sends_nothing_again_in_the_next_digest(group):
    author = member_of(group, time_zone="Europe/Zurich")
    zurich = member_of(group, time_zone="Europe/Zurich")
    post(group, author, at("UTC", 12), title="Monday news")
    check(at("Europe/Zurich", 23, 0))  # a late digest: no worker ran in the morning

    # Back to Sunday morning: that day's slot never ran, and runs now, but what Monday's
    # digest carried is not news again the next morning.
    [outcome] = check(at("Europe/Zurich", 8, 0, day=SUNDAY))
    assert outcome.result.queued == 0
    tuesday = MONDAY + timedelta(days=1)
    post(group, author, at("UTC", 3, day=tuesday), title="Tuesday news")
    check(at("Europe/Zurich", 7, 10, day=tuesday))

    first, second = OutboundEmail.objects.filter(recipient=zurich).order_by("pk")
    assert "Monday news" in first.part.text
    assert "Tuesday news" in second.part.text and "Monday news" not in second.part.text

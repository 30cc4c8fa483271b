"""Watchers of a wiki page hear of its published changes by email, as their delivery choice
for the group says: in their language, never of their own change, never of a held edit,
never once they lost access to the group, at most one email per page an hour."""

from datetime import timedelta
from email import message_from_bytes, policy
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from goingsolo.groups.models import Membership, Visibility
from goingsolo.groups.services import membership_leave
from goingsolo.mail.models import Delivery, OutboundEmail
from goingsolo.mail.outbound.delivery import send_due
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.outbound.wiki_changes import queue_change_emails
from goingsolo.mail.reply_tokens import resolve_unwatch_token, unwatch_url
from goingsolo.wiki import selectors, services
from goingsolo.wiki.models import Page, Watch
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

DOMAIN = "lists.example.org"
SITE = "https://goingsolo.example.org"


@pytest.fixture(autouse=True)
def _mail_domain(settings):
    settings.GOINGSOLO_MAIL_DOMAIN = DOMAIN
    settings.SITE_URL = SITE


@pytest.fixture
def group():
    return GroupFactory(name="Going Solo", slug="going-solo", visibility=Visibility.CLOSED)


def trusted(group, delivery=Delivery.EVERY, **fields):
    user = member_of(group, **fields)
    Membership.objects.filter(group=group, user=user).update(approvals=3)
    subscription_set_delivery(user=user, group=group, delivery=delivery)
    return user


def watcher(group, page, delivery=Delivery.EVERY, **fields):
    user = trusted(group, delivery, **fields)
    services.page_watch(page=page, user=user, watching=True)
    return user


def reload(page):
    return Page.objects.select_related("group", "current_revision").get(pk=page.pk)


def edit(capture, page, author, body, summary=""):
    page = reload(page)
    head = selectors.head_for(page=page, user=author)
    with capture(execute=True):
        return services.page_edit(
            page=page, author=author, body=body, summary=summary, base_revision_id=head.pk
        )


def mailed(address):
    """The messages sent to ADDRESS, parsed as a mail client would."""
    return [
        message_from_bytes(message.data, policy=policy.default)
        for message in mail.outbox
        if address in message.to
    ]


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def page(group):
    author = trusted(group, display_name="Alice Martin")
    return services.page_create(
        group=group, author=author, title="Pricing your work", body="Day rate or project rate?"
    ).page


def test_a_published_change_reaches_a_watcher_with_the_diff_the_summary_and_an_unwatch_link(
    group, page, django_capture_on_commit_callbacks
):
    bob = watcher(group, page, display_name="Bob")
    marie = trusted(group, display_name="Marie Curie")

    edit(django_capture_on_commit_callbacks, page, marie, "Day rate.", summary="Shorter")

    [message] = mailed(bob.email)
    assert str(message["Subject"]) == (
        "[Going Solo] Wiki: “Pricing your work” changed by Marie Curie"
    )
    assert parseaddr(str(message["From"])) == ("Going Solo", f"going-solo@{DOMAIN}")
    assert str(message["To"]) == bob.email
    # Machine-made, like digests: auto-responders keep quiet.
    assert str(message["Auto-Submitted"]) == "auto-generated"
    assert str(message["Precedence"]) == "list"
    assert str(message["List-Id"]) == f"Going Solo <going-solo.{DOMAIN}>"
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert str(message["References"]) == f"<wiki-page-{page.pk}@{DOMAIN}>"
    text = text_of(message)
    assert "The wiki page “Pricing your work” in Going Solo has a new change:" in text
    assert "#2 · Marie Curie · “Shorter”" in text
    diff = f"{SITE}/g/going-solo/wiki/p/pricing-your-work/diff/?from=1&to=2"
    assert f"See the changes: {diff}" in text
    assert f'href="{diff.replace("&", "&amp;")}"' in html_of(message)
    # The stop-watching link is this member's own, for this page.
    link = next(word for word in text.split() if "/mail/unwatch/" in word)
    assert link == unwatch_url(bob.pk, page.pk)
    assert resolve_unwatch_token(urlsplit(link).path.split("/")[3]) == (bob, reload(page))
    assert f"{SITE}/mail/choice/" in text
    assert OutboundEmail.objects.get(recipient=bob).kind == OutboundEmail.Kind.NOTICE


def test_each_watcher_reads_it_in_their_language(group, page, django_capture_on_commit_callbacks):
    lea = watcher(group, page, display_name="Léa", language="fr")
    marie = trusted(group, display_name="Marie Curie")
    edit(django_capture_on_commit_callbacks, page, marie, "Day rate.", summary="Plus court")
    [message] = mailed(lea.email)
    assert str(message["Subject"]) == (
        "[Going Solo] Wiki\u00a0: «\u00a0Pricing your work\u00a0» modifiée par Marie Curie"
    )
    assert "Voir les modifications" in text_of(message)
    assert "- #2 · Marie Curie · «\u00a0Plus court\u00a0»\n" in text_of(message)


def test_the_author_hears_nothing_of_their_own_change(
    group, page, django_capture_on_commit_callbacks
):
    marie = watcher(group, page)
    edit(django_capture_on_commit_callbacks, page, marie, "Day rate.")
    assert mailed(marie.email) == []
    # The page's author watches it too, and hears of Marie's change.
    assert list(OutboundEmail.objects.values_list("recipient__display_name", flat=True)) == [
        "Alice Martin"
    ]


def test_a_held_edit_is_mailed_only_once_approved(group, page, django_capture_on_commit_callbacks):
    bob = watcher(group, page)
    newcomer = member_of(group, display_name="Carl")
    moderator = member_of(group, "moderator")
    held = edit(django_capture_on_commit_callbacks, page, newcomer, "Cheap watches!").revision
    assert held.is_pending
    # Only the group's moderators hear of it: the review queue's alert (docs/moderation.md).
    moderators = group.memberships.exclude(role="member").values("user")
    assert mailed(bob.email) == []
    assert not OutboundEmail.objects.exclude(recipient__in=moderators).exists()
    assert OutboundEmail.objects.filter(recipient=moderator).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(revision=held, moderator=moderator)
    [message] = mailed(bob.email)
    assert "changed by Carl" in str(message["Subject"])


def test_the_delivery_choice_decides_who_gets_an_email_now(
    group, page, django_capture_on_commit_callbacks
):
    every = watcher(group, page, Delivery.EVERY)
    mine = watcher(group, page, Delivery.MINE)  # watching a page is following it
    daily = watcher(group, page, Delivery.DAILY)
    weekly = watcher(group, page, Delivery.WEEKLY)
    nothing = watcher(group, page, Delivery.NONE)
    not_watching = trusted(group, Delivery.EVERY)
    edit(django_capture_on_commit_callbacks, page, trusted(group), "Day rate.")
    assert len(mailed(every.email)) == len(mailed(mine.email)) == 1
    for member in (daily, weekly, nothing, not_watching):
        assert mailed(member.email) == []


def test_a_watcher_who_left_a_secret_group_gets_nothing(django_capture_on_commit_callbacks):
    secret = GroupFactory(name="Inner circle", slug="inner", visibility=Visibility.SECRET)
    author = trusted(secret)
    page = services.page_create(group=secret, author=author, title="Plans", body="Hush").page
    gone = watcher(secret, page)
    staying = watcher(secret, page)
    membership_leave(membership=Membership.objects.get(group=secret, user=gone))

    edit(django_capture_on_commit_callbacks, page, author, "Hush, still.")

    assert mailed(gone.email) == []
    assert len(mailed(staying.email)) == 1
    assert not OutboundEmail.objects.filter(recipient=gone).exists()


def test_a_watcher_who_leaves_before_the_email_goes_gets_nothing(group, page):
    bob = watcher(group, page)
    author = trusted(group)
    page = reload(page)
    # Committed but not sent yet: the worker has not run.
    services.page_edit(
        page=page, author=author, body="Day rate.", base_revision_id=page.current_revision_id
    )

    queue_change_emails(reload(page).current_revision)
    membership_leave(membership=Membership.objects.get(group=group, user=bob))
    send_due()
    assert mailed(bob.email) == []
    email = OutboundEmail.objects.get(recipient=bob)
    assert (email.status, email.last_error) == (
        OutboundEmail.Status.CANCELLED,
        "No longer a member of the group.",
    )


def test_a_burst_of_changes_is_one_email_now_and_one_at_the_end_of_the_hour(
    group, page, django_capture_on_commit_callbacks
):
    bob = watcher(group, page)
    marie, alice = trusted(group, display_name="Marie"), trusted(group, display_name="Ann")
    edit(django_capture_on_commit_callbacks, page, marie, "one", summary="First")
    edit(django_capture_on_commit_callbacks, page, alice, "one two", summary="Second")
    edit(django_capture_on_commit_callbacks, page, marie, "one two three", summary="Third")

    # The first change went at once; the next two wait together for the end of the hour.
    [first] = mailed(bob.email)
    assert "“First”" in text_of(first)
    waiting = OutboundEmail.objects.get(recipient=bob, status=OutboundEmail.Status.QUEUED)
    assert waiting.next_attempt_at > timezone.now() + timedelta(minutes=55)
    send_due(now=timezone.now() + timedelta(minutes=30))
    assert len(mailed(bob.email)) == 1

    send_due(now=timezone.now() + timedelta(hours=1, minutes=1))
    first, second = mailed(bob.email)
    assert str(second["Subject"]) == "[Going Solo] Wiki: “Pricing your work”, 2 changes"
    text = text_of(second)
    assert "has 2 new changes:" in text
    assert "#3 · Ann · “Second”" in text and "#4 · Marie · “Third”" in text
    assert "“First”" not in text
    # One diff from the page as Bob last heard of it to the newest.
    assert "/wiki/p/pricing-your-work/diff/?from=2&to=4" in text


def test_a_rename_is_mailed_with_both_titles(group, page, django_capture_on_commit_callbacks):
    bob = watcher(group, page)
    marie = trusted(group, display_name="Marie")
    with django_capture_on_commit_callbacks(execute=True):
        services.page_rename(page=reload(page), user=marie, title="Rates", reason="Shorter")
    [message] = mailed(bob.email)
    assert str(message["Subject"]) == ("[Going Solo] Wiki: “Pricing your work” renamed to “Rates”")
    text = text_of(message)
    assert "#2 · Marie · renamed “Pricing your work” to “Rates” · “Shorter”" in text
    assert f"{SITE}/g/going-solo/wiki/p/rates/" in text


# --- Stop watching from the email, without logging in --------------------------------------------


def test_the_unwatch_link_asks_first_then_stops_watching_without_logging_in(group, page):
    bob = watcher(group, page)
    path = urlsplit(unwatch_url(bob.pk, page.pk)).path
    client = Client()

    response = client.get(path)
    assert response.status_code == 200
    assert "Stop watching “Pricing your work”?" in response.content.decode()
    assert Watch.objects.filter(page=page, user=bob).exists()  # a GET changes nothing

    response = client.post(path)
    assert response.status_code == 200
    assert "will get no more email about “Pricing your work”" in response.content.decode()
    assert not Watch.objects.filter(page=page, user=bob).exists()

    assert client.get(path.replace("/mail/unwatch/", "/mail/unwatch/x")).status_code == 404
    assert client.post("/mail/unwatch/not-a-token/").status_code == 404


def test_an_email_waiting_when_the_member_stops_watching_is_not_sent(
    group, page, django_capture_on_commit_callbacks
):
    bob = watcher(group, page)
    marie = trusted(group)
    edit(django_capture_on_commit_callbacks, page, marie, "one")
    edit(django_capture_on_commit_callbacks, page, marie, "one two")  # waits for the hour
    Client().post(urlsplit(unwatch_url(bob.pk, page.pk)).path)
    send_due(now=timezone.now() + timedelta(hours=2))
    assert len(mailed(bob.email)) == 1
    waiting = OutboundEmail.objects.filter(recipient=bob).order_by("pk").last()
    assert waiting.status == OutboundEmail.Status.CANCELLED


def test_the_unwatch_page_hides_the_title_from_a_member_who_left(group, page):
    bob = watcher(group, page)
    membership_leave(membership=Membership.objects.get(group=group, user=bob))
    response = Client().get(urlsplit(unwatch_url(bob.pk, page.pk)).path)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pricing your work" not in html
    assert "Stop watching this wiki page?" in html

"""Daily and weekly digests: in the member's language, grouped by thread, only what is new
since their last digest, never empty, never from a group they are not in."""

from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.utils import timezone

from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import ThreadSubscription
from goingsolo.groups.models import Membership, Visibility
from goingsolo.groups.services import membership_leave
from goingsolo.mail.inbound.mbox import export_group
from goingsolo.mail.models import Delivery, OutboundEmail
from goingsolo.mail.outbound.delivery import send_due
from goingsolo.mail.outbound.digests import queue_digests
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.mail.reply_tokens import resolve_reply_token, resolve_unwatch_token
from goingsolo.wiki import services as wiki
from goingsolo.wiki.models import Page
from goingsolo.wiki.selectors import head_for
from tests.factories import GroupFactory, member_of

from .outbound_helpers import sink_fixture

pytestmark = pytest.mark.django_db
sink = sink_fixture()


@pytest.fixture(autouse=True)
def _mail_domain(settings):
    settings.GOINGSOLO_MAIL_DOMAIN = "lists.example.org"


def later(hours=1):
    return timezone.now() + timedelta(hours=hours)


def run(capture, frequency="daily", now=None):
    with capture(execute=True):
        return queue_digests(frequency=frequency, now=now or later())


def test_daily_digest_groups_new_posts_by_thread_in_each_members_language(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group, display_name="Marie")
    bob = member_of(group, display_name="Bob")  # never chose: the daily digest
    lea = member_of(group, display_name="Léa", language="fr")
    mornings = discussions.thread_start(
        group=group, author=marie, title="Vos matinées", body="Comment commencez-vous ?"
    ).post.thread
    discussions.post_reply(thread=mornings, author=lea, body="Par le courrier.")
    invoices = discussions.thread_start(
        group=group, author=marie, title="Invoices", body="Which tool do you use?"
    ).post.thread

    report = run(django_capture_on_commit_callbacks)

    assert report.queued == 3 and report.parts == 3
    english = sink.one_to(bob.email)
    assert str(english["Subject"]) == "[Going Solo] Daily digest: 3 new posts in 2 threads"
    assert str(english["To"]) == bob.email
    assert parseaddr(str(english["From"])) == ("Going Solo", "going-solo@lists.example.org")
    assert str(english["Auto-Submitted"]) == "auto-generated"
    assert str(english["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    text = english.text()
    # Grouped by thread, the most recent activity first, each post under its thread.
    assert text.index("## Invoices") < text.index("## Vos matinées")
    assert text.count("## Vos matinées") == 1
    assert text.index("Comment commencez-vous ?") < text.index("Par le courrier.")
    assert "New thread · 2 new posts" in text
    # A reply-by-email address per thread, this member's own, and links to the site.
    addresses = [line.split(": ")[1] for line in text.splitlines() if line.startswith("Reply by")]
    tokens = [address.split("@")[0].partition("+")[2] for address in addresses]
    assert [resolve_reply_token(token) for token in tokens] == [(invoices, bob), (mornings, bob)]
    assert f"/g/going-solo/t/{mornings.pk}/#post-1" in text
    assert f'href="mailto:{addresses[0]}"' in english.html()

    french = sink.one_to(lea.email)
    assert str(french["Subject"]) == (
        "[Going Solo] Résumé du jour\u00a0: 3 nouveaux messages dans 2 discussions"
    )
    assert "Répondre par e-mail" in french.html()
    # Marie's digest holds Léa's reply but not only her own posts.
    assert "Par le courrier." in sink.one_to(marie.email).text()


def test_nothing_new_sends_nothing_and_each_digest_starts_where_the_last_ended(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group)
    bob = member_of(group)
    assert run(django_capture_on_commit_callbacks, now=timezone.now()).queued == 0
    assert sink.received == []

    day = (timezone.now() + timedelta(days=1)).replace(hour=8, minute=0)
    thread = discussions.thread_start(
        group=group,
        author=marie,
        title="First",
        body="First post",
        created_at=day - timedelta(hours=2),
    ).post.thread
    run(django_capture_on_commit_callbacks, now=day)
    assert "First post" in sink.one_to(bob.email).text()
    # Again the same day: nothing more.
    assert run(django_capture_on_commit_callbacks, now=day + timedelta(hours=1)).queued == 0

    discussions.post_reply(
        thread=thread, author=marie, body="Second post", created_at=day + timedelta(hours=3)
    )
    run(django_capture_on_commit_callbacks, now=day + timedelta(days=1))
    second = sink.to(bob.email)[1].text()
    assert "Second post" in second and "First post" not in second
    assert "2 new posts" not in second


def test_digests_only_cover_groups_the_member_is_in(
    sink, group, django_capture_on_commit_callbacks
):
    secret = GroupFactory(name="Inner circle", slug="inner", visibility=Visibility.SECRET)
    marie = member_of(group)
    Membership.objects.create(group=secret, user=marie, role="member")
    insider = member_of(secret)
    leaver = member_of(group)
    both = member_of(group)
    Membership.objects.create(group=secret, user=both, role="member")
    discussions.thread_start(group=group, author=marie, title="Open talk", body="Hello all")
    discussions.thread_start(group=secret, author=marie, title="Secret plan", body="Hush")
    membership_leave(membership=Membership.objects.get(group=group, user=leaver))

    run(django_capture_on_commit_callbacks)

    assert sink.to(leaver.email) == []
    assert "Secret plan" in sink.one_to(insider.email).text()
    subjects = sorted(str(m["Subject"]) for m in sink.to(both.email))
    assert subjects == [
        "[Going Solo] Daily digest: 1 new post in 1 thread",
        "[Inner circle] Daily digest: 1 new post in 1 thread",
    ]
    for message in sink.received:
        if "[Going Solo]" in str(message["Subject"]):
            assert "Secret plan" not in message.text()


def test_a_member_who_leaves_before_the_digest_is_sent_gets_nothing(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group)
    bob = member_of(group)
    discussions.thread_start(group=group, author=marie, title="Hello", body="Hello")
    queue_digests(frequency="daily", now=later())  # queued, not yet sent
    membership_leave(membership=Membership.objects.get(group=group, user=bob))

    send_due()
    assert sink.to(bob.email) == []
    email = OutboundEmail.objects.get(recipient=bob)
    assert email.status == OutboundEmail.Status.CANCELLED


def test_weekly_members_get_the_weekly_digest_only(sink, group, django_capture_on_commit_callbacks):
    marie = member_of(group)
    weekly = member_of(group)
    subscription_set_delivery(user=weekly, group=group, delivery=Delivery.WEEKLY)
    daily = member_of(group)
    discussions.thread_start(group=group, author=marie, title="Week", body="Week post")
    run(django_capture_on_commit_callbacks, "daily")
    assert sink.to(weekly.email) == [] and len(sink.to(daily.email)) == 1
    run(django_capture_on_commit_callbacks, "weekly")
    assert str(sink.one_to(weekly.email)["Subject"]).startswith("[Going Solo] Weekly digest:")
    assert len(sink.to(daily.email)) == 1


def test_muted_threads_own_posts_and_posts_before_the_choice_are_left_out(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group)
    bob = member_of(group)
    subscription_set_delivery(user=bob, group=group, delivery=Delivery.EVERY)
    discussions.thread_start(group=group, author=marie, title="Mailed already", body="Before")
    subscription_set_delivery(user=bob, group=group, delivery=Delivery.DAILY)
    muted = discussions.thread_start(group=group, author=marie, title="Muted", body="Noise")
    discussions.thread_subscribe(thread=muted.post.thread, user=bob, state="muted")
    discussions.thread_start(group=group, author=bob, title="Bob's own", body="Mine")
    discussions.thread_start(group=group, author=marie, title="Fresh", body="New one")

    run(django_capture_on_commit_callbacks)

    text = sink.one_to(bob.email).text()
    assert "Fresh" in text
    for absent in ("Mailed already", "Muted", "Bob's own"):
        assert absent not in text
    assert ThreadSubscription.objects.filter(user=bob, state="muted").exists()


# --- Wiki pages a member watches ----------------------------------------------------------------


def _wiki_page(group, author, title="Pricing your work"):
    Membership.objects.filter(group=group, user=author).update(approvals=3)
    return wiki.page_create(group=group, author=author, title=title, body="Day rate?").page


def _wiki_edit(page, author, body, summary=""):
    page = Page.objects.select_related("group").get(pk=page.pk)
    Membership.objects.filter(group=page.group, user=author).update(approvals=3)
    return wiki.page_edit(
        page=page,
        author=author,
        body=body,
        summary=summary,
        base_revision_id=head_for(page=page, user=author).pk,
    ).revision


def test_a_digest_lists_the_changes_to_the_wiki_pages_the_member_watches(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group, display_name="Marie")
    bob = member_of(group, display_name="Bob")  # the daily digest, watching the page
    carl = member_of(group, display_name="Carl")  # the daily digest, not watching
    page = _wiki_page(group, marie)
    wiki.page_watch(page=page, user=bob, watching=True)
    _wiki_edit(page, marie, "Day rate.", summary="Shorter")
    _wiki_edit(page, marie, "Day rate, always.", summary="Firmer")

    run(django_capture_on_commit_callbacks)

    message = sink.one_to(bob.email)
    assert str(message["Subject"]) == "[Going Solo] Daily digest: 1 watched wiki page changed"
    text = message.text()
    assert "## Wiki: Pricing your work" in text
    assert "2 changes" in text
    assert "#2 · Marie · “Shorter”" in text and "#3 · Marie · “Firmer”" in text
    assert "/g/going-solo/wiki/p/pricing-your-work/diff/?from=1&to=3" in text
    token = text.split("/mail/unwatch/")[1].split("/")[0]
    assert resolve_unwatch_token(token)[0] == bob
    # Nothing for a member who does not watch it, nor for the author of every change.
    assert sink.to(carl.email) == [] and sink.to(marie.email) == []
    # Daily members got no email of their own at each change.
    assert len(sink.to(bob.email)) == 1


def test_a_digest_counts_posts_and_wiki_pages_and_leaves_out_held_edits(
    sink, group, django_capture_on_commit_callbacks
):
    marie = member_of(group, display_name="Marie")
    bob = member_of(group, display_name="Bob")
    newcomer = member_of(group, display_name="Carl")
    page = _wiki_page(group, marie)
    held_page = _wiki_page(group, marie, title="Coworking")
    for watched in (page, held_page):
        wiki.page_watch(page=watched, user=bob, watching=True)
    _wiki_edit(page, marie, "Day rate.")

    held = wiki.page_edit(
        page=Page.objects.get(pk=held_page.pk),
        author=newcomer,
        body="Cheap watches!",
        base_revision_id=held_page.current_revision_id,
    ).revision
    assert held.is_pending
    discussions.thread_start(group=group, author=marie, title="Hello", body="Hello all")

    run(django_capture_on_commit_callbacks)

    message = sink.one_to(bob.email)
    assert str(message["Subject"]) == (
        "[Going Solo] Daily digest: 1 new post in 1 thread, 1 watched wiki page changed"
    )
    text = message.text()
    assert "## Wiki: Pricing your work" in text
    assert "Coworking" not in text and "Cheap watches" not in text


def test_a_post_waiting_for_a_moderator_is_in_no_digest_and_no_export(
    sink, django_capture_on_commit_callbacks
):
    group = GroupFactory(name="Going Solo")
    bob = member_of(group, display_name="Bob")
    carla = member_of(group, display_name="Carla")  # reads the daily digest
    newcomer = member_of(group, display_name="Nina")
    thread = discussions.thread_start(
        group=group, author=bob, title="Rates", body="How much?"
    ).post.thread
    group.holds_new_members_posts = True
    group.save()
    held = discussions.post_reply(thread=thread, author=newcomer, body="Buy my course")
    assert held.held

    run(django_capture_on_commit_callbacks)

    digest = sink.one_to(carla.email).text()
    assert "How much?" in digest and "Buy my course" not in digest
    assert b"Buy my course" not in b"".join(export_group(group))

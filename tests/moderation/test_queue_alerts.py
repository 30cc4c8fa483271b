"""Moderators are told when something lands in their group's queue: in the app at once,
by email at most once an hour per group (docs/moderation.md, "Moderators are told")."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from goingsolo.accounts.models import Notification
from goingsolo.core import scheduler
from goingsolo.discussions import services as discussions
from goingsolo.groups import services as groups
from goingsolo.groups.models import Role
from goingsolo.mail.models import Delivery
from goingsolo.mail.outbound.services import subscription_set_delivery
from goingsolo.moderation import alerts, services
from goingsolo.moderation.models import QueueAlert
from goingsolo.wiki import services as wiki
from tests.factories import UserFactory, member_of

from .queue_support import emails_to, held_email, holding_group

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def group():
    group = holding_group(name="Going Solo")
    group.francoise = member_of(group, Role.MODERATOR, language="fr", display_name="Françoise")
    group.reader = member_of(group, display_name="Rita Reader")
    return group


def hold_posts(capture, group, count=1):
    newcomer = member_of(group, display_name="Neil New")
    posts = []
    with capture(execute=True):
        for i in range(count):
            posts.append(
                discussions.thread_start(
                    group=group, author=newcomer, title=f"Buy now {i}", body="Cheap"
                ).post
            )
    assert all(post.is_held for post in posts)
    return posts


def alert_of(user, group):
    return Notification.objects.filter(recipient=user, key=f"review:{group.pk}")


def alert_emails(user):
    return [(subject, text) for subject, text in emails_to(user) if "review/" in text]


def test_a_held_post_tells_the_moderators_in_the_app_and_by_email_in_their_language(
    group, django_capture_on_commit_callbacks
):
    hold_posts(django_capture_on_commit_callbacks, group)

    [notification] = alert_of(group.francoise, group)
    assert notification.title == "1 élément attend une relecture dans Going Solo"
    assert notification.excerpt == "Message : Buy now 0 #1".replace(" :", NBSP + ":")
    assert notification.url == reverse("moderation:queue", args=[group.slug])
    assert alert_of(group.moderator, group).get().title == "1 item waits for review in Going Solo"
    assert alert_of(group.owner, group).exists()
    assert not Notification.objects.filter(key=f"review:{group.pk}", recipient=group.reader)

    [(subject, text)] = alert_emails(group.francoise)
    assert subject == f"Going Solo{NBSP}: 1 élément attend une relecture"
    assert "1 élément attend l’équipe de modération de Going Solo" in text
    assert reverse("moderation:queue", args=[group.slug]) in text
    [(english, _text)] = alert_emails(group.moderator)
    assert english == "Going Solo: 1 item waits for review"
    assert alert_emails(group.reader) == []


def test_a_wave_of_held_posts_makes_one_email_now_and_one_when_the_hour_is_over(
    group, django_capture_on_commit_callbacks
):
    start = timezone.now()
    hold_posts(django_capture_on_commit_callbacks, group, count=10)

    assert len(alert_emails(group.francoise)) == 1
    [notification] = alert_of(group.francoise, group)
    assert notification.title == "10 éléments attendent une relecture dans Going Solo"
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_pending(now=start + timedelta(minutes=30)) == 0
    assert len(alert_emails(group.francoise)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        sent = alerts.send_pending(now=start + timedelta(minutes=61))
    assert sent == 3  # the owner and both moderators
    later = alert_emails(group.francoise)
    assert len(later) == 2
    assert later[1][0] == f"Going Solo{NBSP}: 10 éléments attendent une relecture"
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_pending(now=start + timedelta(minutes=200)) == 0
    assert len(alert_emails(group.francoise)) == 2


def test_the_schedule_sends_the_held_back_emails(group, django_capture_on_commit_callbacks):
    start = timezone.now()
    hold_posts(django_capture_on_commit_callbacks, group, count=2)
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.run_due(now=start + timedelta(minutes=65), names=["review-alerts"])
    assert len(alert_emails(group.francoise)) == 2


def test_a_queue_emptied_within_the_hour_sends_no_second_email(
    group, django_capture_on_commit_callbacks
):
    start = timezone.now()
    posts = hold_posts(django_capture_on_commit_callbacks, group, count=2)
    with django_capture_on_commit_callbacks(execute=True):
        for post in posts:
            services.held_post_approve(post=post, by=group.moderator)
        assert alerts.send_pending(now=start + timedelta(minutes=61)) == 0
    assert len(alert_emails(group.francoise)) == 1
    assert not QueueAlert.objects.filter(pending_since__isnull=False).exists()


def test_a_new_item_after_the_hour_is_emailed_at_once(group, django_capture_on_commit_callbacks):
    hold_posts(django_capture_on_commit_callbacks, group)
    QueueAlert.objects.update(emailed_at=timezone.now() - timedelta(minutes=61))
    hold_posts(django_capture_on_commit_callbacks, group)
    assert len(alert_emails(group.francoise)) == 2


def test_a_moderator_who_chose_no_email_from_the_group_is_told_in_the_app_only(
    group, django_capture_on_commit_callbacks
):
    subscription_set_delivery(user=group.francoise, group=group, delivery=Delivery.NONE)
    hold_posts(django_capture_on_commit_callbacks, group)
    assert alert_of(group.francoise, group).exists()
    assert alert_emails(group.francoise) == []
    assert len(alert_emails(group.moderator)) == 1


def test_a_request_to_join_is_told_to_admins_and_owners_only(
    group, django_capture_on_commit_callbacks
):
    admin = member_of(group, Role.ADMIN, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        groups.join_request_create(
            group=group, user=UserFactory(display_name="Paul"), answers=[], accept_rules=True
        )
    assert alert_of(admin, group).get().excerpt == f"Demande d’adhésion{NBSP}: Paul"
    assert alert_of(group.owner, group).exists()
    assert not alert_of(group.moderator, group).exists()
    assert not alert_of(group.francoise, group).exists()
    assert len(alert_emails(admin)) == 1 and alert_emails(group.moderator) == []


def test_a_held_wiki_edit_and_a_held_email_are_told_too(group, django_capture_on_commit_callbacks):
    newcomer = member_of(group, display_name="Neil New")
    with django_capture_on_commit_callbacks(execute=True):
        result = wiki.page_create(group=group, author=newcomer, title="Tarifs", body="Texte")
    assert result.is_held
    assert (
        alert_of(group.francoise, group).get().excerpt == f"Modification du wiki{NBSP}: Tarifs r1"
    )

    held = held_email(django_capture_on_commit_callbacks, group, subject="Coworking jeudi")
    assert held.status == "held"
    notification = alert_of(group.francoise, group).get()
    assert notification.title == "2 éléments attendent une relecture dans Going Solo"
    assert notification.excerpt == f"E-mail retenu{NBSP}: Coworking jeudi"
    assert len(alert_emails(group.francoise)) == 1  # the second waits for the hour


def test_a_read_notification_is_followed_by_a_new_one(group, django_capture_on_commit_callbacks):
    hold_posts(django_capture_on_commit_callbacks, group)
    alert_of(group.francoise, group).update(read_at=timezone.now())
    hold_posts(django_capture_on_commit_callbacks, group)
    assert alert_of(group.francoise, group).count() == 2
    assert alert_of(group.francoise, group).filter(read_at__isnull=True).count() == 1

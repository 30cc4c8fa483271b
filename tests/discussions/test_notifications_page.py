"""The notifications page and the unread count in the navigation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from goingsolo.accounts.models import Notification
from goingsolo.discussions import services
from goingsolo.groups.models import Membership
from tests.support import recorded_jobs, run_again

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(community, django_capture_on_commit_callbacks):
    """Tom started a thread; Marie replied and reacted, then Olivia reacted too."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = community.thread(author=community.tom, title="Coworking in Leeds")
    with django_capture_on_commit_callbacks(execute=True):
        community.reply(thread, author=community.marie, body="Try the library, @tom.")
    opening = thread.posts.get(position=1)
    for user in (community.marie, community.owner):
        with django_capture_on_commit_callbacks(execute=True):
            services.reaction_add(post=opening, user=user, emoji="👍")
    return thread


def test_the_navigation_shows_the_unread_count(client, community, notified):
    client.force_login(community.tom)
    html = client.get(reverse("home")).content.decode()
    assert '<span class="count" aria-hidden="true">2</span>' in html
    assert "(2 unread)" in html


def test_the_page_lists_replies_mentions_and_grouped_reactions(client, community, notified):
    client.force_login(community.tom)
    html = client.get(reverse("accounts:notifications")).content.decode()
    assert "Marie Curie mentioned you in “Coworking in Leeds”" in html
    assert "Olivia Owner and Marie Curie reacted to your post in “Coworking in Leeds”" in html
    assert html.count('class="notification ') == 2


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(client, community, notified):
    client.force_login(community.tom)
    mention = Notification.objects.get(recipient=community.tom, kind="mention")
    response = client.get(reverse("accounts:notification_open", args=[mention.pk]))
    assert response.url == f"{notified.get_absolute_url()}#post-2"
    mention.refresh_from_db()
    assert mention.read_at is not None


def test_someone_elses_notification_is_not_found(client, community, notified):
    client.force_login(community.marie)
    mention = Notification.objects.get(recipient=community.tom, kind="mention")
    assert client.get(reverse("accounts:notification_open", args=[mention.pk])).status_code == 404


def test_mark_all_read(client, community, notified):
    client.force_login(community.tom)
    client.post(reverse("accounts:notifications_read_all"))
    assert not Notification.objects.filter(recipient=community.tom, read_at__isnull=True).exists()
    assert '<span class="count"' not in client.get(reverse("home")).content.decode()


def test_notifications_of_a_group_you_left_are_not_shown(client, community, notified):
    Membership.objects.filter(group=community.group, user=community.tom).delete()
    client.force_login(community.tom)
    html = client.get(reverse("accounts:notifications")).content.decode()
    assert "Coworking in Leeds" not in html
    assert '<span class="count"' not in html
    mention = Notification.objects.get(recipient=community.tom, kind="mention")
    assert client.get(reverse("accounts:notification_open", args=[mention.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("accounts:notifications"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def jobs_named(jobs, name):
    return [job for job in jobs if job.task.name == name]


def test_a_new_posts_job_run_again_notifies_nobody_twice(
    community, django_capture_on_commit_callbacks
):
    """A worker that died during the job runs it again (goingsolo/core/jobs.py)."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = community.thread(author=community.tom, title="Coworking in Leeds")
    with recorded_jobs() as jobs, django_capture_on_commit_callbacks(execute=True):
        services.post_reply(thread=thread, author=community.marie, body="Try the library, @tom.")
    [job] = jobs_named(jobs, "post_created")

    run_again(job)

    assert Notification.objects.filter(recipient=community.tom).count() == 1


def test_an_announcements_job_run_again_notifies_nobody_twice_until_they_read_it(
    community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = community.thread(author=community.tom, title="Coworking in Leeds")
    with recorded_jobs() as jobs, django_capture_on_commit_callbacks(execute=True):
        services.thread_announce(thread=thread, by=community.owner)
    [job] = jobs_named(jobs, "thread_announced")

    run_again(job)
    assert Notification.objects.filter(kind="announcement", recipient=community.marie).count() == 1

    # Read, then announced again: it is news again.
    Notification.objects.filter(kind="announcement").update(read_at=timezone.now())
    run_again(job)
    assert Notification.objects.filter(kind="announcement", recipient=community.marie).count() == 2

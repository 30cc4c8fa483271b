"""The instance-wide review queue and log, for the instance admins (`/review/`,
docs/moderation.md, "The staff's queue")."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post
from goingsolo.groups.models import Role, Visibility
from goingsolo.moderation import services
from goingsolo.moderation.models import LogEntry
from tests.factories import UserFactory, member_of

from .queue_support import holding_group, logged_in, one_of_each

pytestmark = pytest.mark.django_db

STAFF_QUEUE = reverse("moderation:staff_queue")
STAFF_LOG = reverse("moderation:staff_log")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, display_name="Sam Staff")


def held_post(capture, group, title):
    with capture(execute=True):
        return discussions.thread_start(
            group=group, author=member_of(group), title=title, body="Hi"
        ).post


def test_the_staff_queue_and_log_are_not_found_by_anyone_but_instance_admins(client):
    owner = holding_group().owner
    for url in (STAFF_QUEUE, STAFF_LOG, STAFF_QUEUE + "?kind=posts"):
        assert client.get(url).status_code == 404
        assert logged_in(owner).get(url).status_code == 404
        assert logged_in(UserFactory()).get(url).status_code == 404


def test_staff_see_every_groups_items_with_the_group_named_secret_groups_too(
    staff, django_capture_on_commit_callbacks
):
    public = holding_group(name="Going Solo", visibility=Visibility.PUBLIC)
    secret = holding_group(name="Inner Circle", visibility=Visibility.SECRET)
    held_post(django_capture_on_commit_callbacks, public, "Hello from Lausanne")
    held_post(django_capture_on_commit_callbacks, secret, "Hello from the circle")

    page = logged_in(staff).get(STAFF_QUEUE).content.decode()
    assert "Hello from Lausanne" in page and "Hello from the circle" in page
    assert "In Going Solo" in page and "In Inner Circle" in page


def test_a_group_moderator_sees_nothing_of_a_secret_group_they_do_not_belong_to(
    django_capture_on_commit_callbacks,
):
    mine = holding_group()
    secret = holding_group(visibility=Visibility.SECRET)
    post = held_post(django_capture_on_commit_callbacks, secret, "Circle secrets")
    moderator = logged_in(mine.moderator)

    assert (
        "Circle secrets"
        not in moderator.get(reverse("moderation:queue", args=[mine.slug])).content.decode()
    )
    assert moderator.get(reverse("moderation:queue", args=[secret.slug])).status_code == 404
    assert moderator.get(STAFF_QUEUE).status_code == 404
    decide = reverse("moderation:post_decide", args=[secret.slug, post.pk, "approve"])
    assert moderator.post(decide).status_code == 404
    decide_in_mine = reverse("moderation:post_decide", args=[mine.slug, post.pk, "approve"])
    assert moderator.post(decide_in_mine).status_code == 404
    assert Post.objects.get(pk=post.pk).is_held


def test_staff_filter_the_queue_by_kind_and_by_group(staff, django_capture_on_commit_callbacks):
    lausanne = holding_group(name="Lausanne")
    leeds = holding_group(name="Leeds")
    one_of_each(django_capture_on_commit_callbacks, lausanne)
    held_post(django_capture_on_commit_callbacks, leeds, "Hello Leeds")
    client = logged_in(staff)

    posts = client.get(STAFF_QUEUE + "?kind=posts").content.decode()
    assert 'id="held-posts"' in posts and "Hello Leeds" in posts
    assert 'id="flags"' not in posts and 'id="held-emails"' not in posts
    in_leeds = client.get(STAFF_QUEUE + f"?group={leeds.slug}").content.decode()
    assert "Hello Leeds" in in_leeds and "Hello 0" not in in_leeds
    everything = client.get(STAFF_QUEUE).content.decode()
    for section in ("held-posts", "flags", "wiki-edits", "held-emails", "join-requests"):
        assert f'id="{section}"' in everything
    unknown = client.get(STAFF_QUEUE + "?kind=nonsense&group=nowhere")
    assert unknown.status_code == 200 and "Hello Leeds" in unknown.content.decode()


def test_staff_approve_in_a_group_they_do_not_belong_to_and_come_back_to_their_queue(
    staff, django_capture_on_commit_callbacks
):
    group = holding_group(visibility=Visibility.SECRET)
    post = held_post(django_capture_on_commit_callbacks, group, "Hello")
    url = reverse("moderation:post_decide", args=[group.slug, post.pk, "approve"])
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(staff).post(url, {"next": STAFF_QUEUE + "?kind=posts"})
    assert response["Location"] == STAFF_QUEUE + "?kind=posts"
    assert not Post.objects.get(pk=post.pk).is_held
    entry = LogEntry.objects.get()
    assert (entry.group, entry.moderator, entry.action) == (group, staff, "approve")


def test_a_decision_never_sends_the_moderator_to_another_site(
    staff, django_capture_on_commit_callbacks
):
    group = holding_group()
    post = held_post(django_capture_on_commit_callbacks, group, "Hello")
    url = reverse("moderation:post_decide", args=[group.slug, post.pk, "approve"])
    response = logged_in(staff).post(url, {"next": "https://evil.example/review/"})
    assert response["Location"] == reverse("moderation:queue", args=[group.slug])


def test_staff_rank_above_every_group_role_but_not_above_each_other(
    staff, django_capture_on_commit_callbacks
):
    group = holding_group()
    with django_capture_on_commit_callbacks(execute=True):
        owners_post = discussions.thread_start(
            group=group, author=group.owner, title="Owner's", body="Mine"
        ).post
    services.post_hide(post=owners_post, by=staff, reason="Off-topic")
    assert Post.objects.get(pk=owners_post.pk).deleted_at is not None

    other_staff = member_of(group, Role.MEMBER, is_staff=True)
    with pytest.raises(services.PermissionDenied):
        services.member_warn(group=group, member=other_staff, by=staff, reason="No")
    with pytest.raises(services.PermissionDenied):
        services.member_warn(group=group, member=group.owner, by=group.moderator, reason="No")


def test_the_staff_log_shows_every_groups_actions_and_filters_by_group(
    staff, django_capture_on_commit_callbacks
):
    lausanne = holding_group(name="Lausanne")
    leeds = holding_group(name="Leeds")
    for group in (lausanne, leeds):
        post = held_post(django_capture_on_commit_callbacks, group, f"Hello {group.name}")
        services.held_post_approve(post=post, by=group.moderator)
    client = logged_in(staff)

    page = client.get(STAFF_LOG).content.decode()
    assert "Hello Lausanne" in page and "Hello Leeds" in page
    only_leeds = client.get(STAFF_LOG + f"?group={leeds.slug}").content.decode()
    assert "Hello Leeds" in only_leeds and "Hello Lausanne" not in only_leeds


@pytest.mark.parametrize(("groups", "per_kind"), [(1, 1), (3, 2)])
def test_the_staff_queue_runs_a_fixed_number_of_queries(
    staff, groups, per_kind, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for _ in range(groups):
        one_of_each(django_capture_on_commit_callbacks, holding_group(), per_kind)
    client = logged_in(staff)
    client.get(STAFF_QUEUE)  # sessions and caches warm up
    with django_assert_num_queries(13):
        page = client.get(STAFF_QUEUE).content.decode()
    assert page.count('class="card"') == 5 * groups * per_kind


@pytest.mark.parametrize("groups", [1, 3])
def test_the_staff_log_runs_a_fixed_number_of_queries(
    staff, groups, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for _ in range(groups):
        group = holding_group()
        post = held_post(django_capture_on_commit_callbacks, group, "Hello")
        services.held_post_approve(post=post, by=group.moderator)
    client = logged_in(staff)
    client.get(STAFF_LOG)
    with django_assert_num_queries(5):
        page = client.get(STAFF_LOG).content.decode()
    assert page.count("<tr>") == groups + 1


def test_the_site_menu_leads_staff_to_their_queue_and_nobody_else(staff):
    home = reverse("home")
    assert STAFF_QUEUE in logged_in(staff).get(home).content.decode()
    assert STAFF_QUEUE not in logged_in(holding_group().owner).get(home).content.decode()

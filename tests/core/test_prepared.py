"""Queries whose SQL is built once per process (goingsolo/core/prepared.py)."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from goingsolo.accounts.models import Notification, User
from goingsolo.accounts.selectors import unread_notification_count
from goingsolo.core.prepared import PreparedQuery
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post
from goingsolo.events import services as events
from goingsolo.events.models import Event
from goingsolo.groups.models import Group, Membership, Role
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def notify(user, group=None, read=False):
    return Notification.objects.create(
        recipient=user,
        kind="other",
        key="k",
        group_id=group.pk if group else None,
        title="Hello",
        url="/",
        read_at=timezone.now() if read else None,
    )


def test_the_unread_count_answers_as_the_orm_does_for_each_member():
    group, left = GroupFactory(), GroupFactory()
    ana, ben = member_of(group), member_of(group)
    Membership.objects.create(group=left, user=ana)
    notify(ana, group)
    notify(ana)  # about nothing in a group
    notify(ana, group, read=True)
    notify(ana, left)
    notify(ben, group)
    # Built once, asked for two members: each gets their own answer.
    assert unread_notification_count(user=ana) == 3
    assert unread_notification_count(user=ben) == 1
    # Ana leaves a group: its notification is no longer counted.
    Membership.objects.filter(group=left, user=ana).delete()
    assert unread_notification_count(user=ana) == 2
    assert unread_notification_count(user=UserFactory()) == 0


def test_rows_and_values_with_several_parameters():
    group = GroupFactory()
    members = [member_of(group, display_name=f"Member {number}") for number in range(3)]
    names = PreparedQuery(
        lambda group_id, user_id: (
            Membership.objects.filter(group_id=group_id, user_id=user_id)
            .order_by("pk")
            .values_list("user__display_name", "role")
        )
    )
    for member in members:
        assert names.rows(group_id=group.pk, user_id=member.pk) == [(member.display_name, "member")]
    assert names.value(group_id=group.pk, user_id=UserFactory().pk) is None
    counted = PreparedQuery(
        lambda group_id: Membership.objects.filter(group_id=group_id).values("pk"), count=True
    )
    assert counted.value(group_id=group.pk) == 3
    assert counted.value(group_id=GroupFactory().pk) == 0


def test_lists_of_ids_are_parameters():
    """A list is compiled once per length; each length answers as the ORM does."""
    group = GroupFactory()
    members = [member_of(group) for _ in range(3)]
    stranger = UserFactory()
    among = PreparedQuery(
        lambda group_id, user_ids: Membership.objects.filter(
            group_id=group_id, user_id__in=user_ids
        ).values_list("user_id"),
        lists=["user_ids"],
    )
    for ids in (
        [members[0].pk],
        [members[0].pk, stranger.pk],
        [stranger.pk, members[2].pk],
        [member.pk for member in members] + [stranger.pk],
    ):
        expected = set(
            Membership.objects.filter(group=group, user_id__in=ids).values_list(
                "user_id", flat=True
            )
        )
        assert {row[0] for row in among.rows(group_id=group.pk, user_ids=ids)} == expected
    assert among.rows(group_id=GroupFactory().pk, user_ids=[members[0].pk]) == []
    with pytest.raises(ValueError, match="empty"):
        among.rows(group_id=group.pk, user_ids=[])
    with pytest.raises(TypeError):
        among.rows(group_id=group.pk, user_ids={members[0].pk})
    with pytest.raises(TypeError):
        among.rows(group_id=group.pk, user_ids=["1 OR 1=1"])


def test_a_parameter_that_does_not_reach_the_sql_is_refused():
    # A parameter turned into something else (here ignored) would be silently wrong.
    query = PreparedQuery(lambda user_id: Membership.objects.filter(role="member").values("pk"))
    with pytest.raises(ValueError, match="user_id"):
        query.rows(user_id=1)


def test_parameters_are_ids():
    query = PreparedQuery(lambda user_id: Membership.objects.filter(user_id=user_id).values("pk"))
    with pytest.raises(TypeError):
        query.rows(user_id="1 OR 1=1")
    with pytest.raises(TypeError, match="values"):
        query.objects(user_id=1)


def test_objects_are_what_the_queryset_gives():
    """Instances with their select_related rows, only() fields, annotations, converted
    dates and prefetch_related lookups: compared field by field with the ORM's."""
    group = GroupFactory()
    author = member_of(group)
    thread = discussions.thread_start(group=group, author=author, title="T", body="First")
    thread = thread.post.thread
    for number in range(3):
        discussions.post_reply(thread=thread, author=author, body=f"Reply {number}")
    other = discussions.thread_start(group=group, author=author, title="O", body="Elsewhere")
    other = other.post.thread

    def build(thread_id, first, last):
        return (
            Post.objects.filter(thread_id=thread_id, position__gte=first, position__lte=last)
            .select_related("author", "thread__group")
            .only("body", "position", "created_at", "author__display_name", "thread__title",
                  "thread__group__slug")
            .annotate(doubled=F("position") * 2)
            .prefetch_related("attachments")
            .order_by("position")
        )  # fmt: skip

    prepared = PreparedQuery(build)
    for thread_id, first, last in ((thread.pk, 1, 4), (thread.pk, 2, 3), (other.pk, 1, 1)):
        expected = list(build(thread_id, first, last))
        got = prepared.objects(thread_id=thread_id, first=first, last=last)
        assert len(got) == len(expected) > 0
        for mine, theirs in zip(got, expected, strict=True):
            assert (mine.pk, mine.body, mine.position, mine.created_at, mine.doubled) == (
                theirs.pk, theirs.body, theirs.position, theirs.created_at, theirs.doubled
            )  # fmt: skip
            assert mine.author.display_name == theirs.author.display_name
            assert mine.thread.group.slug == theirs.thread.group.slug
            assert isinstance(mine.created_at, datetime.datetime)
            assert mine._state.db == "default" and not mine._state.adding
            assert list(mine.attachments.all()) == []
            assert "attachments" in mine._prefetched_objects_cache
    assert prepared.objects(thread_id=thread.pk, first=9, last=10) == []


def _columns(instance):
    return {name: value for name, value in vars(instance).items() if not name.startswith("_")}


def test_instances_are_made_as_djangos_from_db_makes_them():
    """Made without Model.__init__ (core/prepared.py, _make): the same columns, the
    same state, and the attributes that do more than keep a value (a country, a file) as
    Django sets them; the related instances too."""
    group = GroupFactory()
    author = member_of(group, country="ch")
    author.avatar.name = "avatars/someone.png"
    author.save()
    thread = discussions.thread_start(group=group, author=author, title="T", body="First")

    by_id = PreparedQuery(lambda user_id: User.objects.filter(pk=user_id).order_by("pk")[:1])
    mine, theirs = by_id.first(user_id=author.pk), User.objects.get(pk=author.pk)
    assert _columns(mine) == _columns(theirs)
    assert mine.country.code == "CH" and mine.country.name == theirs.country.name
    assert mine.avatar.name == theirs.avatar.name == "avatars/someone.png"
    assert (mine._state.db, mine._state.adding) == ("default", False)
    mine.display_name = "Renamed"
    mine.save(update_fields=["display_name"])  # an instance Django can save
    assert User.objects.get(pk=author.pk).display_name == "Renamed"

    posts = PreparedQuery(
        lambda thread_id: (
            Post.objects.filter(thread_id=thread_id)
            .select_related("author", "thread__group")
            .order_by("pk")
        )
    )
    mine, theirs = posts.first(thread_id=thread.post.thread_id), thread.post
    theirs = Post.objects.select_related("author", "thread__group").get(pk=theirs.pk)
    assert _columns(mine) == _columns(theirs)
    assert _columns(mine.author) == _columns(theirs.author)
    assert _columns(mine.thread.group) == _columns(theirs.thread.group)
    assert mine.author.country.code == "CH"


def test_text_parameters():
    group = GroupFactory()
    by_slug = PreparedQuery(
        lambda slug: Group.objects.filter(slug=slug).order_by("pk")[:1], text=["slug"]
    )
    assert by_slug.first(slug=group.slug) == group
    assert by_slug.first(slug="nowhere") is None
    with pytest.raises(TypeError):
        by_slug.first(slug=group.pk)
    # A lookup that changes the value cannot be prepared: it is refused, not run wrong.
    contains = PreparedQuery(lambda slug: Group.objects.filter(slug__contains=slug), text=["slug"])
    with pytest.raises(ValueError, match="slug"):
        contains.objects(slug="x")


def test_moments_are_parameters():
    """A moment ("now") is a parameter, adapted as the backend adapts it (text on SQLite)."""
    group = GroupFactory()
    organiser = member_of(group, Role.ADMIN)
    now = timezone.now()
    for days in (-3, 1, 2, 5):
        start = now + datetime.timedelta(days=days)
        events.event_create(
            group=group,
            by=organiser,
            **event_fields(starts_at=start, ends_at=start + datetime.timedelta(hours=2)),
        )
    after = PreparedQuery(
        lambda group_id, now: Event.objects.filter(group_id=group_id, ends_at__gt=now).order_by(
            "starts_at"
        ),
        moments=["now"],
    )
    for moment in (now - datetime.timedelta(days=10), now, now + datetime.timedelta(days=3)):
        expected = list(Event.objects.filter(group=group, ends_at__gt=moment).order_by("starts_at"))
        assert after.objects(group_id=group.pk, now=moment) == expected
    assert len(after.objects(group_id=group.pk, now=now)) == 3
    with pytest.raises(TypeError):
        after.objects(group_id=group.pk, now=now.date())

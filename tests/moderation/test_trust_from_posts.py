"""Posts build their author's trust, on the web and by email alike (docs/moderation.md)."""

import pytest

from goingsolo.discussions import services
from goingsolo.discussions.models import Via
from goingsolo.groups.models import Membership
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


def contributions(group, user):
    return Membership.objects.get(group=group, user=user).accepted_contributions


@pytest.mark.parametrize("via", [Via.WEB, Via.EMAIL])
def test_a_thread_and_a_reply_count_as_contributions(via):
    group = GroupFactory()
    author = member_of(group)
    result = services.thread_start(group=group, author=author, title="Rates", body="Hi", via=via)
    services.post_reply(thread=result.post.thread, author=author, body="Again", via=via)
    assert contributions(group, author) == 2


def test_an_imported_archive_is_not_a_contribution():
    group = GroupFactory()
    author = member_of(group)
    services.thread_start(group=group, author=author, title="Old", body="From 2009", via=Via.IMPORT)
    assert contributions(group, author) == 0

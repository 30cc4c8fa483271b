"""Suspect posts are held, not refused, and land in the review queue: many links from a new
member, the same text in several groups, spam signals from the form (docs/moderation.md)."""

import pytest
from django.urls import reverse

from goingsolo.core.forms import signed_start
from goingsolo.discussions import services
from goingsolo.groups.models import Role
from goingsolo.moderation.selectors import review_queue
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db

LINKS = "Great deals: https://a.example https://b.example https://c.example"


def start(group, author, body, **kwargs):
    return services.thread_start(group=group, author=author, title="Hi", body=body, **kwargs)


def test_many_links_from_a_new_member_are_held_even_where_the_group_holds_nothing():
    group = GroupFactory()
    result = start(group, member_of(group), LINKS)
    assert result.held and result.post.held_because == ["links"]
    assert review_queue(group=group, with_join_requests=False).held_posts == [result.post]


def test_a_moderators_links_are_not_held():
    group = GroupFactory()
    assert not start(group, member_of(group, Role.MODERATOR), LINKS).held


def test_the_same_text_in_a_second_group_is_held():
    first, second = GroupFactory(), GroupFactory()
    author = member_of(first)
    second.memberships.create(user=author)
    assert not start(first, author, "Buy my   course\nnow").held
    result = start(second, author, "Buy my course now")
    assert result.held and result.post.held_because == ["repeated"]


def test_signals_from_the_form_or_the_mail_handler_hold_a_post_of_an_untrusted_member():
    group = GroupFactory()
    newcomer, admin = member_of(group), member_of(group, Role.ADMIN)
    result = start(group, newcomer, "Hello", spam_signals=["honeypot"])
    assert result.held and result.post.held_because == ["honeypot"]
    # The group trusts its admins: a quick post of theirs shows at once.
    assert not start(group, admin, "Hello", spam_signals=["too_fast"]).held
    # A filled honeypot, which no person sees, holds anyone's post (a stolen account).
    assert start(group, admin, "Hello again", spam_signals=["honeypot"]).held


def test_a_reply_sent_faster_than_a_person_types_is_held(client):
    group = GroupFactory()
    thread = start(group, member_of(group, Role.ADMIN), "Rates?").post.thread
    author = member_of(group)  # new in the group
    client.force_login(author)
    url = reverse("discussions:reply", args=[group.slug, thread.pk])
    form = client.get(thread.get_absolute_url()).content.decode()
    assert 'name="started"' in form
    client.post(url, {"body": "Too quick", "started": signed_start()})
    client.post(url, {"body": "Took my time", "started": signed_start(at=1.0)})
    held = {post.body: post.held_because for post in thread.posts.filter(position__gt=1)}
    assert held == {"Too quick": ["too_fast"], "Took my time": []}

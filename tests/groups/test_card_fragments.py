"""The lists of group cards (home page, group list) are kept as fragments
(core/fragments.py), keyed by every card's Group.card_key and, on the home page, the
member's role: each value a card shows is changed here and the page read again."""

import pytest
from django.urls import reverse
from django.utils import translation

from goingsolo.groups.models import Group, JoinPolicy, Membership, Role, Visibility
from goingsolo.mail.models.outbound import Delivery, ListSubscription
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def page(client, name):
    with translation.override("en"):
        return client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("address", ["home", "groups:list"])
def test_each_value_a_card_shows_is_never_stale(client, address):
    mine = GroupFactory(name="Freelancers of Lausanne", visibility=Visibility.PUBLIC)
    other = GroupFactory(name="Barcamp crew", visibility=Visibility.PUBLIC)
    member = member_of(mine)
    Group.objects.filter(pk__in=[mine.pk, other.pk]).update(member_count=1)
    client.force_login(member)
    first = page(client, address)
    assert "Freelancers of Lausanne" in first and "Barcamp crew" in first

    changes = [
        (lambda: Group.objects.filter(pk=other.pk).update(name="Barcamp team"), "Barcamp team"),
        (
            lambda: Group.objects.filter(pk=other.pk).update(description_en="Slides and rooms."),
            "Slides and rooms.",
        ),
        (lambda: Group.objects.filter(pk=other.pk).update(member_count=7), "7 members"),
        (
            lambda: Group.objects.filter(pk=mine.pk).update(visibility=Visibility.CLOSED),
            'class="badge closed"',
        ),
        (
            lambda: Group.objects.filter(pk=mine.pk).update(name="Solo in Lausanne"),
            "Solo in Lausanne",
        ),
    ]
    for change, shown in changes:
        assert shown not in page(client, address)
        change()
        assert shown in page(client, address)


def test_the_home_page_shows_the_members_role_at_once(client):
    group = GroupFactory()
    member = member_of(group)
    client.force_login(member)
    assert "You are: Member" in page(client, "home")
    Membership.objects.filter(group=group, user=member).update(role=Role.MODERATOR)
    assert "You are: Moderator" in page(client, "home")


def test_readers_with_other_groups_see_their_own_lists(client):
    """The key is the cards: two members of different secret groups never share a list."""
    first = GroupFactory(name="Translators", visibility=Visibility.SECRET)
    second = GroupFactory(name="Photographers", visibility=Visibility.SECRET)
    client.force_login(member_of(first))
    assert "Translators" in page(client, "home")
    client.force_login(member_of(second))
    home = page(client, "home")
    assert "Photographers" in home and "Translators" not in home
    client.force_login(UserFactory())
    assert "Translators" not in page(client, "home")


def test_the_group_pages_facts_and_email_choice_are_never_stale(client):
    """The group page's kept pieces: its facts, its summary, the member's email choice."""
    group = GroupFactory(description_en="Freelance translators.", join_policy=JoinPolicy.APPROVAL)
    member = member_of(group)
    client.force_login(member)
    address = group.get_absolute_url()

    def read():
        return client.get(address, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Freelance translators." in read() and "By approval" in read()
    changes = [
        (lambda: Group.objects.filter(pk=group.pk).update(member_count=12), "12 members"),
        (
            lambda: Group.objects.filter(pk=group.pk).update(join_policy=JoinPolicy.INVITATION),
            "By invitation only",
        ),
        (
            lambda: Group.objects.filter(pk=group.pk).update(description_en="Now interpreters."),
            "Now interpreters.",
        ),
        (
            lambda: ListSubscription.objects.update_or_create(
                group=group, user=member, defaults={"delivery": Delivery.NONE}
            ),
            f"You get: {Delivery.NONE.label}.",
        ),
    ]
    for change, shown in changes:
        assert shown not in read()
        change()
        assert shown in read()

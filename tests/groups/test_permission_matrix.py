"""The permission matrix: visibility × standing × action, through the rules and the web.

The expected table is written out here by hand, independently of goingsolo.groups.rules,
so a change to the rules that changes who sees what makes this test fail.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from goingsolo.groups import rules
from goingsolo.groups.models import JoinRequest, Role
from tests.factories import GroupFactory, UserFactory, member_of

STANDINGS = ["anonymous", "outsider", "applicant", "member", "moderator", "admin", "owner"]
ACTIONS = ["find", "view_content", "list_members", "post", "moderate", "administer"]

Y, N = True, False
# Rows: standing; columns: find, view_content, list_members, post, moderate, administer.
EXPECTED = {
    "public": {
        "anonymous": [Y, Y, N, N, N, N],
        "outsider": [Y, Y, Y, N, N, N],
        "applicant": [Y, Y, Y, N, N, N],
        "member": [Y, Y, Y, Y, N, N],
        "moderator": [Y, Y, Y, Y, Y, N],
        "admin": [Y, Y, Y, Y, Y, Y],
        "owner": [Y, Y, Y, Y, Y, Y],
    },
    "closed": {
        "anonymous": [Y, N, N, N, N, N],
        "outsider": [Y, N, N, N, N, N],
        "applicant": [Y, N, N, N, N, N],
        "member": [Y, Y, Y, Y, N, N],
        "moderator": [Y, Y, Y, Y, Y, N],
        "admin": [Y, Y, Y, Y, Y, Y],
        "owner": [Y, Y, Y, Y, Y, Y],
    },
    "secret": {
        "anonymous": [N, N, N, N, N, N],
        "outsider": [N, N, N, N, N, N],
        "applicant": [Y, N, N, N, N, N],
        "member": [Y, Y, Y, Y, N, N],
        "moderator": [Y, Y, Y, Y, Y, N],
        "admin": [Y, Y, Y, Y, Y, Y],
        "owner": [Y, Y, Y, Y, Y, Y],
    },
}


def make_visitor(group, standing):
    """A user with STANDING in GROUP (None for anonymous)."""
    if standing == "anonymous":
        return None
    if standing == "outsider":
        return UserFactory()
    if standing == "applicant":
        user = UserFactory()
        JoinRequest.objects.create(group=group, user=user)
        return user
    return member_of(group, role=Role(standing))


CASES = [
    (visibility, standing, action, EXPECTED[visibility][standing][i])
    for visibility in EXPECTED
    for standing in STANDINGS
    for i, action in enumerate(ACTIONS)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("visibility", "standing"), [(v, s) for v in EXPECTED for s in STANDINGS])
def test_rules_follow_the_matrix(visibility, standing):
    group = GroupFactory(visibility=visibility)
    visitor = make_visitor(group, standing)

    user = visitor or AnonymousUser()
    got = [rules.can(user, action, group) for action in ACTIONS]
    assert got == EXPECTED[visibility][standing], f"{visibility} × {standing}"


def expected_status(visibility, standing, allowed, found):
    if not found:
        return 404  # a secret group does not exist for those who may not find it
    if allowed:
        return 200
    return 302 if standing == "anonymous" else 403


# Pages standing for an action in the web interface.
PAGES = {
    "find": lambda g: reverse("groups:detail", args=[g.slug]),
    "list_members": lambda g: reverse("groups:members", args=[g.slug]),
    "administer": lambda g: reverse("groups:settings", args=[g.slug]),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visibility", "standing", "action"),
    [(v, s, a) for v in EXPECTED for s in STANDINGS for a in PAGES],
)
def test_pages_follow_the_matrix(client, visibility, standing, action):
    group = GroupFactory(visibility=visibility)
    visitor = make_visitor(group, standing)
    if visitor:
        client.force_login(visitor)
    row = EXPECTED[visibility][standing]
    allowed = row[ACTIONS.index(action)]
    found = row[0]
    response = client.get(PAGES[action](group))
    assert response.status_code == expected_status(visibility, standing, allowed, found)


@pytest.mark.django_db
@pytest.mark.parametrize("standing", STANDINGS)
def test_closed_group_content_shows_only_to_members(client, standing):
    group = GroupFactory(visibility="closed")
    visitor = make_visitor(group, standing)
    if visitor:
        client.force_login(visitor)
    page = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    members_only_notice = "Only members see this group" in page
    assert members_only_notice == (standing in ("anonymous", "outsider", "applicant"))


@pytest.mark.django_db
def test_secret_group_is_absent_from_every_list_for_outsiders(client):
    secret = GroupFactory(visibility="secret", name="Hidden circle")
    GroupFactory(visibility="closed", name="Visible circle")
    outsider = UserFactory()
    for user in (None, outsider):
        if user:
            client.force_login(user)
        for url in (reverse("home"), reverse("groups:list")):
            page = client.get(url).content.decode()
            assert "Visible circle" in page
            assert "Hidden circle" not in page
            assert secret.slug not in page
    member = member_of(secret)
    client.force_login(member)
    assert "Hidden circle" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_secret_group_join_page_is_404_for_outsiders(client):
    secret = GroupFactory(visibility="secret", join_policy="invitation")
    client.force_login(UserFactory())
    assert client.get(reverse("groups:join", args=[secret.slug])).status_code == 404
    assert client.post(reverse("groups:join", args=[secret.slug])).status_code == 404

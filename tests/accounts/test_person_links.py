"""A member's name links to their profile only where the reader may open it.

One helper decides (goingsolo/groups/people.py, the `people` template tags); every page
that names a member asks it, and a list page asks once for all its people.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.events.models import Speaker
from goingsolo.groups.models import JoinRequest, Membership, Role
from goingsolo.groups.people import ProfileAccess
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def profile_url(member):
    return reverse("groups:member_profile", args=[member.pk])


def rendered_link(viewer, member):
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template("{% load people %}{% person_link member %}")
    return template.render(Context({"request": request, "member": member}))


def viewer_of(kind, group):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "outsider":
        return UserFactory()
    if kind == "member of another group":
        return member_of(GroupFactory(visibility="public"))
    return member_of(group)  # "fellow member"


# What a reader may open of a member's profile, by the visibility of the member's group.
# "short": name, avatar, city and bio; "full": everything; None: no link, and a 404.
MATRIX = {
    ("public", "anonymous"): "short",
    ("public", "outsider"): "full",
    ("public", "member of another group"): "full",
    ("public", "fellow member"): "full",
    ("closed", "anonymous"): None,
    ("closed", "outsider"): None,
    ("closed", "member of another group"): None,
    ("closed", "fellow member"): "full",
    ("secret", "anonymous"): None,
    ("secret", "outsider"): None,
    ("secret", "member of another group"): None,
    ("secret", "fellow member"): "full",
}


@pytest.mark.parametrize(("visibility", "viewer_kind"), list(MATRIX))
def test_a_name_links_to_the_profile_exactly_when_the_reader_may_open_it(
    client, visibility, viewer_kind
):
    group = GroupFactory(visibility=visibility)
    member = member_of(
        group, display_name="Léa Martin", bio="Graphiste.", skills="design", city="Nyon"
    )
    viewer = viewer_of(viewer_kind, group)
    expected = MATRIX[(visibility, viewer_kind)]

    assert ProfileAccess(viewer).can_open(member) is (expected is not None)
    link = rendered_link(viewer, member)
    if viewer.is_authenticated:
        client.force_login(viewer)
    response = client.get(profile_url(member))
    if expected is None:
        assert link == "<span>Léa Martin</span>"
        assert response.status_code == 404
        return
    assert link == f'<a href="{profile_url(member)}">Léa Martin</a>'
    assert response.status_code == 200
    page = response.content.decode()
    assert "Léa Martin" in page and "Nyon" in page and "Graphiste." in page
    assert ("design" in page) is (expected == "full")
    assert (group.name in page) is (expected == "full")


def test_members_always_open_their_own_profile(client):
    member = member_of(GroupFactory(visibility="secret"), display_name="Ana")
    assert ProfileAccess(member).can_open(member)
    client.force_login(member)
    page = client.get(profile_url(member)).content.decode()
    assert "Edit my profile" in page


def test_a_short_profile_invites_the_visitor_to_log_in(client):
    member = member_of(GroupFactory(visibility="public"), website="https://lea.example.org")
    page = client.get(profile_url(member), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "pour voir la suite de ce profil" in page
    assert f"/accounts/login/?next={profile_url(member).replace('/', '%2F')}" in page
    assert "lea.example.org" not in page


def test_admins_open_the_profiles_of_people_asking_to_join(client):
    group = GroupFactory(visibility="closed", join_questions=["Why?"])
    admin = member_of(group, Role.ADMIN)
    applicant = UserFactory(display_name="Sam Applicant")
    JoinRequest.objects.create(group=group, user=applicant, answers=[])
    client.force_login(admin)
    page = client.get(reverse("groups:requests", args=[group.slug])).content.decode()
    assert f'<a href="{profile_url(applicant)}">Sam Applicant</a>' in page
    assert client.get(profile_url(applicant)).status_code == 200
    # A mere member of the group does not.
    client.force_login(member_of(group))
    assert client.get(profile_url(applicant)).status_code == 404


def test_a_former_member_is_named_without_a_link_in_posts_and_mentions(client):
    group = GroupFactory(visibility="closed")
    reader = member_of(group)
    leaver = member_of(group, display_name="Paul Leaves", handle="paul")
    thread = discussions.thread_start(
        group=group, author=leaver, title="Bye", body="Hello from me."
    ).post.thread
    discussions.post_reply(thread=thread, author=reader, body="Thanks @paul!")
    Membership.objects.filter(user=leaver).delete()

    client.force_login(reader)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert profile_url(leaver) not in page
    assert '<span class="author" id="post-1-author">Paul Leaves</span>' in page
    assert '<span class="mention">@paul</span>' in page


def test_a_member_who_left_is_still_linked_where_the_reader_shares_another_group(client):
    group, other = GroupFactory(visibility="closed"), GroupFactory(visibility="closed")
    reader = member_of(group)
    Membership.objects.create(group=other, user=reader)
    mover = member_of(group, display_name="Mo Ving", handle="moving")
    Membership.objects.create(group=other, user=mover)
    thread = discussions.thread_start(
        group=group, author=mover, title="Moving", body="Ping @moving"
    ).post.thread
    Membership.objects.filter(user=mover, group=group).delete()
    client.force_login(reader)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{profile_url(mover)}">Mo Ving</a>' in page
    assert f'<a class="mention" href="{profile_url(mover)}"' in page


def test_anonymous_readers_of_a_public_group_get_links_to_short_profiles(client):
    group = GroupFactory(visibility="public")
    author = member_of(group, display_name="Ines Public")
    thread = discussions.thread_start(
        group=group, author=author, title="Open", body="Anyone there?"
    ).post.thread
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="{profile_url(author)}">Ines Public</a>' in page
    assert client.get(profile_url(author)).status_code == 200


def test_inactive_members_are_never_linked(client):
    group = GroupFactory(visibility="public")
    gone = member_of(group, display_name="Gone Member", is_active=False)
    viewer = member_of(group)
    assert not ProfileAccess(viewer).can_open(gone)
    assert rendered_link(viewer, gone) == "<span>Gone Member</span>"


def test_event_speakers_link_to_the_member_profile_only_when_it_opens(client):
    group = GroupFactory(visibility="public")
    organiser = member_of(group, Role.ADMIN)
    event = events.event_create(group=group, by=organiser, **event_fields())
    speaker_member = member_of(GroupFactory(visibility="closed"), display_name="Guest Star")
    speaker = Speaker.objects.create(event=event, name="Guest Star", user=speaker_member)
    url = reverse("events:speaker", args=[group.slug, event.pk, speaker.pk])
    client.force_login(member_of(group))
    page = client.get(url).content.decode()
    assert "Guest Star" in page and profile_url(speaker_member) not in page
    Membership.objects.create(group=group, user=speaker_member)
    page = client.get(url).content.decode()
    assert f'href="{profile_url(speaker_member)}"' in page


# --- A list page asks once for all its people ---------------------------------------------------


def test_thread_page_queries_do_not_grow_with_authors_and_mentions(
    client, django_assert_num_queries
):
    group = GroupFactory(visibility="closed")
    reader = member_of(group)
    opener = member_of(group, handle="opener")
    thread = discussions.thread_start(
        group=group, author=opener, title="Counting", body="Hello"
    ).post.thread

    def reply():
        author = member_of(group)
        discussions.post_reply(
            thread=thread, author=author, body=f"Hi @opener and @{author.handle}"
        )

    reply()
    client.force_login(reader)
    url = thread.get_absolute_url()
    client.get(url)  # the first visit records the reading position
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(4):
        reply()
    client.get(url)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_members_list_queries_do_not_grow_with_members(client, django_assert_num_queries):
    group = GroupFactory(visibility="closed")
    viewer = member_of(group)
    member_of(group)
    client.force_login(viewer)
    url = reverse("groups:members", args=[group.slug])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    for _ in range(4):
        member_of(group)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_event_attendees_queries_do_not_grow_with_attendees(client, django_assert_num_queries):
    group = GroupFactory(visibility="closed")
    organiser = member_of(group, Role.ADMIN)
    event = events.event_create(group=group, by=organiser, **event_fields())

    def attendee():
        events.registration_set(event=event, user=member_of(group), status="going")

    attendee()
    client.force_login(organiser)
    url = reverse("events:attendees", args=[group.slug, event.pk])
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for _ in range(4):
        attendee()
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


# --- The lookup by the group being read agrees with the general rule ----------------------------


@pytest.mark.parametrize("visibility", ["public", "closed", "secret"])
@pytest.mark.parametrize("viewer_kind", ["anonymous", "outsider", "fellow member", "suspended"])
def test_reading_a_group_answers_as_the_general_rule_does(visibility, viewer_kind):
    """prepare_posts asks about a page's people with the group being read (a plain lookup
    of its memberships): for every kind of person the answers are those of open_profiles_q."""
    group = GroupFactory(visibility=visibility)
    elsewhere = GroupFactory(visibility="closed")
    people = [
        member_of(group),  # a member
        member_of(group, Role.ADMIN),
        member_of(group, is_active=False),  # an account closed
        UserFactory(),  # never joined
        member_of(elsewhere),  # a member of another closed group only
        member_of(GroupFactory(visibility="public")),
    ]
    former = member_of(group)
    Membership.objects.filter(user=former, group=group).delete()
    people.append(former)
    if viewer_kind == "suspended":
        viewer = member_of(group)
        membership = Membership.objects.get(user=viewer, group=group)
        membership.suspended_until = timezone.now() + datetime.timedelta(days=7)
        membership.save()
        # A suspended member reads what an outsider reads, elsewhere too.
        Membership.objects.create(group=elsewhere, user=viewer)
    else:
        viewer = viewer_of(viewer_kind, group)
        membership = Membership.objects.filter(user_id=viewer.pk, group=group).first()

    general = ProfileAccess(viewer)
    general.load(people)
    by_group = ProfileAccess(viewer)
    by_group.load(people, reading=group, membership=membership)
    answers = [by_group.can_open(person) for person in people]
    assert answers == [general.can_open(person) for person in people]
    # Not a vacuous match: somebody opens exactly where the group's content is readable.
    readable = visibility == "public" or viewer_kind == "fellow member"
    assert answers[0] is readable

"""Events of a secret group never show to people outside it: pages, lists, feeds, search."""

import icalendar
import pytest
from django.urls import reverse

from goingsolo.core import search
from goingsolo.events import services
from goingsolo.events.models import Speaker
from goingsolo.groups.models import Group, Membership, Role
from goingsolo.groups.rules import content_visible_groups_q
from tests.factories import GroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

TITLE = "SoloCamp francophone, secret planning"


@pytest.fixture
def secret(db):
    group = GroupFactory(slug="solocamp", visibility="secret", join_policy="invitation")
    return group


@pytest.fixture
def secret_event(secret, make_event):
    organiser = member_of(secret, Role.ADMIN)
    event = make_event(in_group=secret, by=organiser, title_en=TITLE, capacity=20)
    services.speaker_save(event=event, by=organiser, name="Camille")
    return event


def event_urls(event):
    args = [event.group.slug, event.pk]
    speaker = Speaker.objects.get(event=event)
    return [
        reverse("events:detail", args=args),
        reverse("events:agenda", args=args),
        reverse("events:ics", args=args),
        reverse("events:speaker", args=[*args, speaker.pk]),
        reverse("events:group_events", args=[event.group.slug]),
        reverse("events:checks", args=[event.group.slug]),
        reverse("events:group_feed", args=[event.group.slug]),
    ]


def test_the_pages_of_a_secret_event_do_not_exist_for_outsiders_or_anonymous_visitors(
    client, secret_event
):
    for url in event_urls(secret_event):
        assert client.get(url).status_code == 404, url
    client.force_login(UserFactory())
    for url in event_urls(secret_event):
        assert client.get(url).status_code == 404, url
    client.force_login(member_of(secret_event.group))
    for url in event_urls(secret_event):
        assert client.get(url).status_code == 200, url


def test_lists_of_upcoming_events_leave_secret_events_out_for_outsiders(
    client, secret_event, make_event
):
    public = GroupFactory(visibility="public")
    public_organiser = member_of(public, Role.ADMIN)
    make_event(in_group=public, by=public_organiser, title_en="Open coffee")
    for viewer in (None, UserFactory()):
        if viewer:
            client.force_login(viewer)
        page = client.get(reverse("events:upcoming")).text
        assert "Open coffee" in page and TITLE not in page
        assert TITLE not in client.get(reverse("home")).text
    member = member_of(secret_event.group)
    client.force_login(member)
    assert TITLE in client.get(reverse("events:upcoming")).text
    assert TITLE in client.get(reverse("home")).text


def test_a_member_who_leaves_stops_seeing_the_event_in_their_personal_feed(
    client, secret_event, register
):
    member = member_of(secret_event.group)
    register(secret_event, member)
    feed = services.calendar_feed_renew(user=member)

    def summaries():
        calendar = icalendar.Calendar.from_ical(client.get(feed.get_absolute_url()).content)
        return [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")]

    assert summaries() == [TITLE]
    Membership.objects.filter(user=member, group=secret_event.group).delete()
    assert summaries() == []


def test_the_group_feed_of_a_secret_group_is_refused_to_an_outsiders_token(client, secret_event):
    outsider_feed = services.calendar_feed_renew(user=UserFactory())
    url = reverse("events:group_feed", args=[secret_event.group.slug])
    assert client.get(url, {"token": outsider_feed.token}).status_code == 404
    assert client.get(url, {"token": "not-a-token"}).status_code == 404


def test_search_finds_secret_events_for_members_only(secret_event):
    outsider, member = UserFactory(), member_of(secret_event.group)

    def found(user):
        visible = Group.objects.filter(content_visible_groups_q(user))
        results = search.search("SoloCamp", group_ids=visible, kinds=["event"])
        return [hit.object_id for hit in results.results]

    assert found(member) == [secret_event.pk]
    assert found(outsider) == []


def test_the_search_page_shows_a_secret_event_to_members_only(client, secret_event):
    url = reverse("groups:search")
    client.force_login(UserFactory())
    assert TITLE not in client.get(url, {"q": "SoloCamp"}).text
    client.force_login(member_of(secret_event.group))
    assert TITLE in client.get(url, {"q": "SoloCamp"}).text


def test_talks_are_found_through_their_event(secret_event, django_capture_on_commit_callbacks):
    organiser = secret_event.created_by
    with django_capture_on_commit_callbacks(execute=True):
        services.talk_save(
            event=secret_event,
            by=organiser,
            title="Coworking in Lausanne",
            language="fr",
            starts_at=secret_event.starts_at,
            ends_at=secret_event.ends_at,
        )
    visible = Group.objects.filter(content_visible_groups_q(member_of(secret_event.group)))
    found = search.search("coworking", group_ids=visible, kinds=["event"])
    assert [hit.object_id for hit in found.results] == [secret_event.pk]

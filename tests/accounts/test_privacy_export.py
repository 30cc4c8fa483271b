"""Export my data: a zip of JSON and Markdown with only what is mine."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.groups import services as groups
from goingsolo.groups.models import Membership, Role
from goingsolo.wiki import services as wiki
from tests.events.conftest import event_fields
from tests.factories import GroupFactory, MembershipFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(django_capture_on_commit_callbacks):
    """Me and another member in two groups: a thread of mine with a poll, their reply, my
    answer quoting one line of it, a post of mine in a group I then leave, an event I
    registered for, an interest check I answered, a wiki page I wrote."""
    main, left = GroupFactory(slug="main"), GroupFactory(slug="left")
    owner = member_of(main, Role.OWNER)
    MembershipFactory(group=left, user=owner, role=Role.OWNER)
    me = member_of(main, display_name="Camille", email="camille@example.org")
    MembershipFactory(group=left, user=me)
    other = member_of(main, display_name="Dominique", email="dominique@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        mine = discussions.thread_start(
            group=main,
            author=me,
            title="Pricing a logo",
            body="How do you price a logo?",
            poll={"question": "Per hour or per project?", "options": ["Hour", "Project"]},
        ).post
        theirs = discussions.post_reply(
            thread=mine.thread,
            author=other,
            body="My client secret: ACME pays 90 an hour.\n\nCharge for the value.",
        ).post
        discussions.post_reply(
            thread=mine.thread,
            author=me,
            body="> Charge for the value.\n\nThanks, I will.",
            quoted_post=theirs,
        )
        discussions.poll_vote(
            poll=mine.thread.poll, user=me, option_ids=[mine.thread.poll.options.last().pk]
        )
        discussions.thread_start(group=left, author=me, title="Hello Leeds", body="Still mine.")
        event = events.event_create(group=main, by=owner, **event_fields(title_en="Apéro"))
        events.registration_set(event=event, user=me, status="going", answers={})
        today = timezone.localdate()
        check = events.interest_check_open(
            group=main,
            by=owner,
            kind="barcamp",
            city="Lausanne",
            window_start=today + timedelta(days=60),
            window_end=today + timedelta(days=120),
            threshold=3,
        )
        events.interest_answer(check=check, user=me, answer="yes", from_city="Geneva")
        wiki.page_create(group=main, author=me, title="Rates", body="Day rates in Lausanne.")
        groups.membership_leave(membership=Membership.objects.get(group=left, user=me))
    return me


def export_of(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_holds_my_profile_groups_posts_registrations_votes_and_wiki_edits(
    client, community
):
    bundle = export_of(client, community)
    data = {
        name: json.loads(bundle.read(name)) for name in bundle.namelist() if name.endswith("json")
    }
    assert data["profile.json"]["display_name"] == "Camille"
    assert data["profile.json"]["email_addresses"][0]["email"] == "camille@example.org"
    assert [m["slug"] for m in data["memberships.json"]] == ["main"]
    assert [p["body"] for p in data["posts.json"]] == [
        "How do you price a logo?",
        "> Charge for the value.\n\nThanks, I will.",
        "Still mine.",
    ]
    assert data["posts.json"][1]["quotes_position"] == 2
    assert [(v["question"], v["answer"]) for v in data["poll_votes.json"]] == [
        ("Per hour or per project?", "Project")
    ]
    assert [(r["event"], r["status"]) for r in data["registrations.json"]] == [("Apéro", "going")]
    assert [(a["answer"], a["from_city"]) for a in data["interest_check_answers.json"]] == [
        ("yes", "Geneva")
    ]
    assert [w["page"] for w in data["wiki_contributions.json"]] == ["Rates"]
    markdown = sorted(name for name in bundle.namelist() if name.endswith(".md"))
    assert len(markdown) == 3
    assert any(name.startswith("posts/left/") for name in markdown)


def test_another_members_words_are_not_in_my_export_except_what_i_quoted(client, community):
    bundle = export_of(client, community)
    everything = b"".join(bundle.read(name) for name in bundle.namelist())
    assert b"ACME" not in everything
    assert b"dominique" not in everything.lower()
    assert b"Dominique" not in everything
    assert b"Charge for the value." in everything  # my quote, in my own post


def test_the_export_needs_a_signed_in_member(client):
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_privacy_page_offers_the_export_the_links_reset_and_deletion(client):
    client.force_login(member_of(GroupFactory()))
    page = client.get(reverse("accounts:privacy")).text
    for name in ("accounts:data_export", "accounts:private_links_reset", "accounts:account_delete"):
        assert reverse(name) in page
    assert reverse("accounts:privacy") in client.get(reverse("accounts:profile_edit")).text

"""Names and titles too long for their columns are refused by the services, whoever calls
them, with a translated message beside the field — never a DataError from PostgreSQL, nor
a longer value kept by SQLite (`core.text.fit_names`, docs/security.md).

Each case is a service that takes a name or a title, called with a text of exactly the
column's length (kept whole) and one character more (refused, nothing written). The
lengths are read from the models, so a column made shorter or longer moves the test."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from goingsolo.accounts import services as accounts
from goingsolo.accounts.models import User
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Poll, PollOption, Post, Thread
from goingsolo.events import services as events
from goingsolo.events.models import (
    Event,
    EventMessage,
    InterestAnswer,
    InterestCheck,
    Speaker,
    Talk,
)
from goingsolo.groups import services as groups
from goingsolo.groups.models import Group, JoinPolicy, Role, Visibility
from goingsolo.wiki import services as wiki
from goingsolo.wiki.models import Page
from tests.factories import GroupFactory, member_of

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    model: type
    field: str  # the model's column, whose max_length is the limit
    call: object  # (world, text) -> the service call with TEXT in that field
    key: str = ""  # the field the error names, when not FIELD
    shape: object = staticmethod(lambda text: text)  # what the field takes of a text

    @property
    def limit(self):
        return self.model._meta.get_field(self.field).max_length


def text_of(length):
    """LENGTH characters a name can hold, spaces included, kept as they are by clean_name."""
    return ("Zoé Müller " * (length // 11 + 1))[: length - 1] + "x"


@dataclass
class World:
    group: Group
    owner: User
    member: User
    event: Event
    check: InterestCheck
    thread: Thread
    page: Page


@pytest.fixture
def world():
    group = GroupFactory(visibility=Visibility.PUBLIC, join_policy=JoinPolicy.OPEN)
    owner = member_of(group, Role.OWNER)
    member = member_of(group)
    start = timezone.now() + timedelta(days=10)
    event = events.event_create(group=group, by=owner, announce=False, **event_fields(start))
    check = events.interest_check_open(
        group=group,
        by=owner,
        kind="meetup",
        city="Geneva",
        window_start=(start + timedelta(days=20)).date(),
        window_end=(start + timedelta(days=40)).date(),
        threshold=3,
    )
    thread = discussions.thread_start(group=group, author=owner, title="Hi", body="x").post.thread
    page = wiki.page_create(group=group, author=owner, title="Notes", body="x").page
    return World(group, owner, member, event, check, thread, page)


def event_fields(start, **fields):
    return {
        "kind": "meetup",
        "title_en": "Meetup",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "time_zone": "Europe/Zurich",
        **fields,
    }


def new_event(w, **fields):
    start = timezone.now() + timedelta(days=5)
    return events.event_create(
        group=w.group, by=w.owner, announce=False, **event_fields(start, **fields)
    )


def talk(w, **fields):
    start = w.event.starts_at
    values = {"title": "Talk", "starts_at": start, "ends_at": start + timedelta(hours=1)}
    return events.talk_save(event=w.event, by=w.owner, language="en", **{**values, **fields})


def poll(question="Which day?", options=("Monday", "Tuesday")):
    return {
        "question": question,
        "options": list(options),
        "allows_multiple": False,
        "closes_at": None,
    }


CASES = {
    "group name": Case(
        Group,
        "name",
        lambda w, t: groups.group_create(
            owner=w.owner, name=t, slug="new-group", visibility="public", join_policy="open"
        ),
    ),
    "group address": Case(
        Group,
        "slug",
        shape=lambda text: text.replace(" ", "-").replace("é", "e").replace("ü", "u").lower(),
        call=lambda w, t: groups.group_create(
            owner=w.owner,
            name="New group",
            slug=t,
            visibility="public",
            join_policy="open",
        ),
    ),
    "group renamed": Case(
        Group, "name", lambda w, t: groups.group_update(group=w.group, by=w.owner, name=t)
    ),
    "display name": Case(
        User, "display_name", lambda w, t: accounts.profile_update(user=w.member, display_name=t)
    ),
    "member's city": Case(
        User, "city", lambda w, t: accounts.profile_update(user=w.member, city=t)
    ),
    "thread title": Case(
        Thread,
        "title",
        lambda w, t: discussions.thread_start(group=w.group, author=w.owner, title=t, body="x"),
    ),
    "thread title edited": Case(
        Thread,
        "title",
        lambda w, t: discussions.post_edit(
            post=w.thread.posts.get(position=1), by=w.owner, body="x, edited", title=t
        ),
    ),
    "poll question": Case(
        Poll,
        "question",
        lambda w, t: discussions.thread_start(
            group=w.group, author=w.owner, title="Poll", body="x", poll=poll(question=t)
        ),
        key="poll_question",
    ),
    "poll option": Case(
        PollOption,
        "label",
        lambda w, t: discussions.thread_start(
            group=w.group, author=w.owner, title="Poll", body="x", poll=poll(options=["Monday", t])
        ),
        key="poll_options",
    ),
    "event title in English": Case(Event, "title_en", lambda w, t: new_event(w, title_en=t)),
    "event title in French": Case(Event, "title_fr", lambda w, t: new_event(w, title_fr=t)),
    "venue": Case(Event, "venue_name", lambda w, t: new_event(w, venue_name=t)),
    "address": Case(Event, "address", lambda w, t: new_event(w, address=t)),
    "event city": Case(Event, "city", lambda w, t: new_event(w, city=t)),
    "event renamed": Case(
        Event, "title_en", lambda w, t: events.event_update(event=w.event, by=w.owner, title_en=t)
    ),
    "speaker": Case(
        Speaker, "name", lambda w, t: events.speaker_save(event=w.event, by=w.owner, name=t)
    ),
    "talk title": Case(Talk, "title", lambda w, t: talk(w, title=t)),
    "room": Case(Talk, "room", lambda w, t: talk(w, room=t)),
    "interest check city": Case(
        InterestCheck,
        "city",
        lambda w, t: events.interest_check_open(
            group=w.group,
            by=w.owner,
            kind="meetup",
            city=t,
            window_start=w.check.window_start,
            window_end=w.check.window_end,
            threshold=3,
        ),
    ),
    "coming from": Case(
        InterestAnswer,
        "from_city",
        lambda w, t: events.interest_answer(
            check=w.check, user=w.member, answer="yes", from_city=t
        ),
    ),
    "message to attendees": Case(
        EventMessage,
        "subject",
        lambda w, t: events.attendees_message(event=w.event, by=w.owner, subject=t, body="x"),
    ),
    "wiki page": Case(
        Page,
        "title",
        lambda w, t: wiki.page_create(group=w.group, author=w.owner, title=t, body="x"),
    ),
    "wiki page renamed": Case(
        Page, "title", lambda w, t: wiki.page_rename(page=w.page, user=w.owner, title=t)
    ),
    "wiki page imported": Case(
        Page,
        "title",
        lambda w, t: wiki.page_import(
            group=w.group, title=t, revisions=[(w.owner, "x", "", timezone.now())]
        ),
    ),
}


def stored(case, text):
    return case.model.objects.filter(**{case.field: text}).exists()


@pytest.mark.parametrize("name", CASES)
def test_a_name_one_character_too_long_is_refused_and_nothing_is_written(world, name):
    case = CASES[name]
    text = case.shape(text_of(case.limit + 1))
    with pytest.raises(ValidationError) as refusal:
        case.call(world, text)
    # Beside its field, saying the limit (the features' own words, or core.text's).
    messages = refusal.value.message_dict[case.key or case.field]
    assert any(str(case.limit) in message for message in messages)
    assert not case.model.objects.filter(**{f"{case.field}__startswith": text[:20]}).exists()


@pytest.mark.parametrize("name", CASES)
def test_a_name_as_long_as_its_column_is_kept_whole(world, name):
    case = CASES[name]
    text = case.shape(text_of(case.limit))
    case.call(world, text)
    assert stored(case, text)


def test_the_refusal_is_in_the_callers_language(world):
    with override("fr"), pytest.raises(ValidationError) as refusal:
        CASES["venue"].call(world, text_of(201))
    assert refusal.value.message_dict["venue_name"] == [
        "Au plus 200 caractères\u00a0; celui-ci en a 201."
    ]


def test_invisible_characters_do_not_count(world):
    # What is measured is what is stored: zero-width characters are dropped first.
    title = text_of(200)
    result = discussions.thread_start(
        group=world.group, author=world.owner, title="\u200b" * 10 + title, body="x"
    )
    assert result.post.thread.title == title


def test_a_guests_name_from_an_email_is_cut_to_its_column_not_refused(world):
    limit = Post._meta.get_field("guest_author_name").max_length
    post = discussions.thread_start(
        group=world.group,
        author=None,
        title="From the archive",
        body="x",
        via="import",
        guest_author_name=text_of(limit + 50),
    ).post
    post.refresh_from_db()
    assert post.guest_author_name == text_of(limit + 50)[:limit]

"""Pages kept for visitors who are not signed in (core/page_cache.py): served again with
one query while nothing was written, never after a write (in this process or another),
never to members, and never older than MAX_AGE for what time alone changes. Each visitor
gets their own CSRF token."""

import re

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goingsolo.core import page_cache
from goingsolo.discussions import services
from goingsolo.discussions.models import Post, Reaction
from goingsolo.groups import services as group_services
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(url, client=None):
    return (client or Client()).get(url).content.decode()


def queries_of(url, client=None, **headers):
    """How many queries a request for URL made (1 when served kept: the generation)."""
    with CaptureQueriesContext(connection) as captured:
        (client or Client()).get(url, headers=headers)
    return len(captured)


def served_from_memory(url, django_assert_num_queries):
    """URL's page as a visitor, asserting it was served kept."""
    with django_assert_num_queries(1):
        return visit(url)


@pytest.fixture
def thread(public_community):
    thread = public_community.thread(body="How do you set your rates?")
    public_community.reply(thread, body="I charge by the word.")
    return thread


def test_a_second_visitor_is_served_the_kept_page_with_one_query(thread, django_assert_num_queries):
    url = thread.get_absolute_url()
    group_url = thread.group.get_absolute_url()
    for address in (url, group_url, "/", reverse("groups:list")):
        first = visit(address)
        assert TOKEN.sub("", served_from_memory(address, django_assert_num_queries)) == (
            TOKEN.sub("", first)
        )
    assert "I charge by the word." in visit(url)


def test_every_write_shows_at_once(public_community, thread, django_assert_num_queries):
    url = thread.get_absolute_url()
    visit(url)
    served_from_memory(url, django_assert_num_queries)
    reply = thread.posts.get(position=2)

    services.post_edit(post=reply, by=public_community.tom, body="I charge by the page.")
    assert "I charge by the page." in visit(url)

    services.reaction_add(
        post=reply, user=public_community.marie, emoji=Reaction.Emoji.choices[0][0]
    )
    assert 'class="reaction' in visit(url) and "1</" in visit(url)

    public_community.reply(thread, author=public_community.marie, body="Per hour, here.")
    assert "Per hour, here." in visit(url)

    reply.refresh_from_db()
    services.post_delete(post=reply, by=public_community.tom)
    assert "This post was deleted." in visit(url)

    group_services.group_update(
        group=public_community.group, by=public_community.owner, name="Translators of Vaud"
    )
    assert "Translators of Vaud" in visit(url)
    assert "Translators of Vaud" in visit(reverse("groups:list"))


def test_a_write_committed_by_another_process_shows_at_once(thread, django_assert_num_queries):
    """Another process's write is not seen by this one's statements, only through the
    shared generation: here the row is changed with this process's watch off, then the
    generation increased as that process's commit would."""
    url = thread.get_absolute_url()
    visit(url)
    served_from_memory(url, django_assert_num_queries)
    connection.execute_wrappers.remove(page_cache._watch_writes)
    try:
        Post.objects.filter(thread=thread, position=2).update(
            body="Another process wrote this.", body_html="<p>Another process wrote this.</p>"
        )
    finally:
        connection.execute_wrappers.append(page_cache._watch_writes)
    assert "Another process wrote this." not in served_from_memory(url, django_assert_num_queries)

    with connection.cursor() as cursor:
        cursor.execute(page_cache._BUMP)
    assert "Another process wrote this." in visit(url)


def test_what_time_alone_changes_is_at_most_max_age_old(
    thread, monkeypatch, django_assert_num_queries
):
    url = thread.get_absolute_url()
    visit(url)
    served_from_memory(url, django_assert_num_queries)
    later = page_cache.time.time() + page_cache.MAX_AGE + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert queries_of(url) > 1  # rendered again
    served_from_memory(url, django_assert_num_queries)  # and kept again


def test_members_sessions_and_partial_requests_get_pages_of_their_own(public_community, thread):
    url = thread.get_absolute_url()
    visit(url)
    member = Client()
    member.force_login(public_community.marie)
    assert 'name="body"' in visit(url, member)  # the reply form, which visitors never get

    assert queries_of(url, member) > 1
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "an-old-session"
    assert queries_of(url, with_session) > 1
    assert queries_of(url, HX_Request="true") > 1


def test_each_visitor_gets_their_own_csrf_token_which_works(thread):
    url = thread.get_absolute_url()
    visit(url)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        response = client.get(url)
        found = TOKEN.findall(response.content.decode())
        assert found, "the page has a form with a CSRF token"
        assert len(set(found)) == 1
        assert client.cookies.get(settings.CSRF_COOKIE_NAME)
        tokens.append(found[0])
    assert tokens[0] != tokens[1]
    # The language switch is a form of every page: the kept page's token is accepted.
    switched = first.post(
        reverse("accounts:set_language"),
        {"language": "fr", "next": url, "csrfmiddlewaretoken": tokens[0]},
    )
    assert switched.status_code == 302
    refused = first.post(
        reverse("accounts:set_language"),
        {"language": "fr", "next": url, "csrfmiddlewaretoken": tokens[1]},
    )
    assert refused.status_code == 403


def test_each_language_and_time_zone_has_its_own_page(thread):
    url = thread.get_absolute_url()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(url).content.decode()
    assert 'lang="en"' in english and 'lang="fr"' in french
    assert 'lang="en"' in Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()


def test_a_refused_page_is_not_kept(community):
    """A closed group's thread: visitors are sent to log in, and nothing is kept."""
    thread = community.thread()
    url = thread.get_absolute_url()
    assert Client().get(url).status_code == 302
    assert queries_of(url) > 1


@pytest.mark.parametrize(
    ("sql", "counts"),
    [
        ('INSERT INTO "discussions_post" ("body") VALUES (%s)', True),
        ('UPDATE "groups_group" SET "name" = %s', True),
        ('  delete from "wiki_page" where id = 1', True),
        ('TRUNCATE "discussions_post", "django_session"', True),
        ("INSERT OR IGNORE INTO discussions_reaction VALUES (1)", True),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "discussions_readstate" ("thread_id") VALUES (%s)', False),
        ('DELETE FROM "django_tasks_database_dbtaskresult"', False),
        (page_cache._BUMP, False),
        ('INSERT INTO "core_searchdocument_fts" VALUES (1)', False),
        ('SELECT "id" FROM "discussions_post"', False),
        ("SAVEPOINT s1", False),
    ],
)
def test_which_statements_count_as_a_write(sql, counts):
    assert page_cache.counts_as_content(sql) is counts


@pytest.mark.django_db(transaction=True)
def test_the_shared_generation_grows_once_per_committed_transaction():
    start = page_cache.database_generation()
    with transaction.atomic():
        group = GroupFactory(visibility="public")
        group.name = "Renamed"
        group.save()
    assert page_cache.database_generation() == start + 1

    with pytest.raises(RuntimeError), transaction.atomic():
        group.name = "Never seen"
        group.save()
        raise RuntimeError
    assert page_cache.database_generation() == start + 1
    # A rolled back transaction took its callback with it: the next one still counts.
    with transaction.atomic():
        group.name = "Seen"
        group.save()
    assert page_cache.database_generation() == start + 2

    group.name = "Outside a transaction"
    group.save()
    assert page_cache.database_generation() == start + 3

    with transaction.atomic():
        Client().get("/")  # a visitor: no write
        connection.cursor().execute("DELETE FROM django_session")
    assert page_cache.database_generation() == start + 3

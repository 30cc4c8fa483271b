"""Search behaves the same on SQLite and on PostgreSQL: run this file on both."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goingsolo.core.models import SearchDocument
from goingsolo.core.search import (
    SearchResults,
    index_document,
    rebuild_index,
    remove_document,
    search,
)
from goingsolo.core.search.text import parse_query
from goingsolo.groups.models import Group
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

VISIBLE = [1, 2]
START = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


def add(title="", body="", **fields):
    """Indexes a document; every field not given has a plain default."""
    object_id = fields.pop("object_id", next(_ids))
    document = {
        "kind": "post",
        "group_id": 1,
        "author_id": 10,
        "language": "en",
        "url": f"/posts/{object_id}/",
        "created_at": START,
        **fields,
    }
    index_document(object_id=object_id, title=title, body=body, **document)
    return object_id


def found(query, **filters):
    filters.setdefault("group_ids", VISIBLE)
    return [hit.object_id for hit in search(query, **filters).results]


def test_english_words_find_other_forms_of_the_same_word():
    pricing = add(body="Our pricing for freelancers", language="en")
    assert found("price") == [pricing]
    assert found("priced") == [pricing]
    assert found("PRICES") == [pricing]


def test_french_words_find_other_forms_of_the_same_word():
    singular = add(body="Quel tarif journalier pour un graphiste ?", language="fr")
    plural = add(body="Nos tarifs ont changé", language="fr")
    assert sorted(found("tarifs")) == sorted([singular, plural])
    assert sorted(found("tarif")) == sorted([singular, plural])


def test_a_query_word_is_stemmed_in_every_language_of_the_instance():
    french = add(body="Les événements de la rentrée", language="fr")
    english = add(body="Upcoming meetings in Leeds", language="en")
    assert found("evenement") == [french]
    assert found("meeting") == [english]


def test_words_of_a_language_without_stemmer_are_found_as_written():
    german = add(body="Die Preise für Freiberufler", language="de")
    assert found("preise") == [german]


def test_accents_are_ignored_both_ways():
    cafe = add(body="Rendez-vous au café du coin", language="fr")
    summer = add(body="Le barcamp de l'ete a Lausanne", language="fr")
    activities = add(body="Nos activités", language="fr")
    work = add(body="Une œuvre collective", language="fr")
    assert found("cafe") == [cafe]
    assert found("éte") == [summer]
    assert found("activite") == [activities]
    assert found("oeuvre") == [work]


def test_all_words_are_required():
    both = add(body="Freelance pricing in Lausanne")
    add(body="Freelance life in Leeds")
    assert found("freelance lausanne") == [both]


def test_quoted_phrases_and_excluded_words():
    phrase = add(body="Going solo is a choice")
    add(body="Solo, going nowhere")
    taxes = add(body="Invoices and taxes")
    invoices = add(body="Invoices only")
    assert found('"going solo"') == [phrase]
    assert found("invoices -taxes") == [invoices]
    assert sorted(found("invoices")) == sorted([taxes, invoices])


def test_or_between_words():
    leeds = add(body="Meetup in Leeds")
    lausanne = add(body="Meetup in Lausanne")
    add(body="Meetup in Paris")
    assert sorted(found("leeds or lausanne")) == sorted([leeds, lausanne])


def test_a_query_of_excluded_words_only_finds_nothing():
    add(body="Anything at all")
    assert found("-taxes") == []


def test_a_title_match_ranks_above_a_body_match():
    in_body = add(title="Monthly news", body="This month we talk about pricing and more.")
    in_title = add(title="Pricing", body="This month we talk about many things.")
    results = search("pricing", group_ids=VISIBLE).results
    assert [hit.object_id for hit in results] == [in_title, in_body]
    assert results[0].rank > results[1].rank > 0


def test_hits_carry_the_document_fields():
    object_id = add(title="Pricing", body="Day rates", kind="thread", group_id=2, author_id=7)
    [hit] = search("pricing", group_ids=VISIBLE).results
    assert (hit.kind, hit.object_id, hit.group_id, hit.author_id) == ("thread", object_id, 2, 7)
    assert (hit.language, hit.title, hit.url) == ("en", "Pricing", f"/posts/{object_id}/")
    assert hit.created_at == START


def test_filters_by_group_author_language_kind_and_date():
    first = add(body="pricing", group_id=1, author_id=10, language="en", kind="post")
    second = add(body="pricing", group_id=2, author_id=11, language="fr", kind="thread")
    later = add(body="pricing", created_at=START + timedelta(days=10), kind="event")
    assert found("pricing", group_id=2) == [second]
    assert found("pricing", author_id=11) == [second]
    assert found("pricing", language="fr") == [second]
    assert sorted(found("pricing", kinds=["thread", "event"])) == sorted([later, second])
    assert found("pricing", kinds="post") == [first]
    assert found("pricing", since=START + timedelta(days=1)) == [later]
    assert sorted(found("pricing", until=START + timedelta(days=1))) == sorted([first, second])


def test_documents_of_groups_not_visible_never_come_back():
    visible = add(body="pricing", group_id=1)
    add(body="pricing", group_id=3)
    add(body="pricing", group_id=None)
    assert found("pricing") == [visible]
    assert found("pricing", group_id=3) == []
    assert found("pricing", group_ids=[]) == []


def test_documents_without_group_come_back_only_when_asked():
    visible = add(body="pricing", group_id=1)
    ungrouped = add(body="pricing", group_id=None)
    assert found("pricing", include_ungrouped=True) == [ungrouped, visible]
    assert found("pricing", group_ids=[], include_ungrouped=True) == [ungrouped]


def test_visible_groups_may_be_given_as_a_queryset():
    mine, other = GroupFactory(), GroupFactory()
    visible = add(body="pricing", group_id=mine.pk)
    add(body="pricing", group_id=other.pk)
    assert found("pricing", group_ids=Group.objects.filter(pk=mine.pk).values("pk")) == [visible]
    assert found("pricing", group_ids=Group.objects.filter(pk=mine.pk)) == [visible]
    assert found("pricing", group_ids=Group.objects.filter(pk=mine.pk), group_id=other.pk) == []
    mine_only = Group.objects.filter(pk=mine.pk)
    assert found("pricing", group_ids=mine_only.values_list("pk")) == [visible]
    assert found("pricing", group_ids=mine_only.values_list("pk", flat=True)) == [visible]
    # No visible group: nothing is asked of the engine.
    with CaptureQueriesContext(connection) as queries:
        assert found("pricing", group_ids=Group.objects.none().values("pk")) == []
    assert len(queries) == 0


def test_visible_groups_are_required():
    with pytest.raises(TypeError):
        search("pricing", group_ids=None)
    with pytest.raises(TypeError):
        search("pricing")


def test_snippets_are_escaped_with_matched_words_marked():
    add(body="Never paste <script>alert('x')</script> near your pricing & invoices.")
    [hit] = search("pricing", group_ids=VISIBLE).results
    assert "<mark>pricing</mark>" in hit.snippet
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in hit.snippet
    assert "&amp; invoices" in hit.snippet
    assert "<script>" not in hit.snippet


def test_snippets_mark_words_found_through_stems_and_accents():
    add(body="Le café propose des tarifs réduits aux indépendants.", language="fr")
    [hit] = search("cafe tarif", group_ids=VISIBLE).results
    assert "<mark>café</mark>" in hit.snippet
    assert "<mark>tarifs</mark>" in hit.snippet


def test_snippets_of_long_texts_show_the_matched_part():
    filler = "Lorem ipsum dolor sit amet. " * 200
    add(body=filler + "Here is the pricing table. " + filler)
    [hit] = search("pricing", group_ids=VISIBLE).results
    assert "<mark>pricing</mark>" in hit.snippet
    assert len(hit.snippet) < 600


def test_reindexing_a_document_replaces_it():
    object_id = add(title="Pricing", body="Day rates")
    add(title="Invoices", body="Templates", object_id=object_id)
    assert found("pricing") == []
    assert found("invoices") == [object_id]
    assert SearchDocument.objects.filter(object_id=object_id).count() == 1


def test_a_removed_document_is_not_found():
    object_id = add(body="pricing")
    assert remove_document(kind="post", object_id=object_id) is True
    assert found("pricing") == []
    assert remove_document(kind="post", object_id=object_id) is False


def test_the_same_object_id_in_two_kinds_are_two_documents():
    add(body="pricing", kind="post", object_id=500)
    add(body="pricing", kind="event", object_id=500)
    remove_document(kind="post", object_id=500)
    assert [(hit.kind, hit.object_id) for hit in search("pricing", group_ids=VISIBLE)] == [
        ("event", 500)
    ]


def test_pages_and_total():
    ids = [add(body="pricing", created_at=START + timedelta(minutes=n)) for n in range(5)]
    first = search("pricing", group_ids=VISIBLE, limit=2)
    assert first.total == 5
    assert [hit.object_id for hit in first.results] == ids[::-1][:2]
    last = search("pricing", group_ids=VISIBLE, limit=2, offset=4)
    assert ([hit.object_id for hit in last.results], last.total) == ([ids[0]], 5)
    past_the_end = search("pricing", group_ids=VISIBLE, limit=2, offset=10)
    assert (past_the_end.results, past_the_end.total) == ([], 5)


def test_documents_written_without_the_index_are_found_after_a_rebuild():
    SearchDocument.objects.bulk_create(
        SearchDocument(
            kind="post",
            object_id=1000 + n,
            group_id=1,
            language="fr",
            title="Importé",
            body="Les tarifs",
            url="/",
            created_at=START,
        )
        for n in range(3)
    )
    assert found("tarif") == []
    assert rebuild_index(batch_size=2) == 3
    assert sorted(found("tarif")) == [1000, 1001, 1002]
    call_command("search_reindex", verbosity=0)
    assert sorted(found("importe")) == [1000, 1001, 1002]


HOSTILE_QUERIES = [
    '"',
    '""',
    '"unclosed phrase',
    "*",
    "pric*",
    "(",
    "())",
    "NEAR",
    "NEAR(pricing invoices, 2)",
    ":",
    "title:pricing",
    "{title body}: pricing",
    "^pricing",
    "-",
    "--pricing",
    "AND OR NOT",
    "pricing OR",
    "'; DROP TABLE core_searchdocument; --",
    "\x00\x01\x02\x03 pricing \x1f",
    "!!! &&& ||| <-> <2> ::: \\",
    "é" * 5000,
    "🙂 pricing 🙂",
    " ".join(["pricing"] * 200),
    'a:b:c d-e-f \'g\' "h i" -"j k" or or or',
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_no_query_makes_search_fail(query):
    add(title="Pricing", body="pricing and invoices, NEAR the title")
    results = search(query, group_ids=VISIBLE)
    assert isinstance(results, SearchResults)
    assert results.total == len(results.results)


def test_the_number_of_queries_does_not_grow_with_the_hits(django_assert_num_queries):
    add(body="pricing")
    with django_assert_num_queries(1):
        assert len(search("pricing", group_ids=VISIBLE)) == 1
    for _ in range(14):
        add(body="pricing and more pricing")
    with django_assert_num_queries(1):
        assert len(search("pricing", group_ids=VISIBLE)) == 15
    with django_assert_num_queries(1):
        assert len(search("pricing", group_ids=Group.objects.values("pk"))) == 0


def test_the_query_reader_keeps_words_phrases_exclusions_and_or():
    query = parse_query('Tarifs "going solo" -taxes leeds OR lausanne e-mail :*(')
    assert query.groups == (
        (("Tarifs",),),
        (("going", "solo"),),
        (("leeds",), ("lausanne",)),
        (("e", "mail"),),
    )
    assert query.excluded == (("taxes",),)
    assert parse_query('" * ( NEAR : "').groups == ((("NEAR",),),)
    assert not parse_query('" * ( : -" -')

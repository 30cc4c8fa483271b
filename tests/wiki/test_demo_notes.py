"""The demo brings barcamp session notes in French and English, with their history."""

import io

import pytest
from django.core.management import call_command

from goingsolo.wiki.models import Page, PageLink, Revision

pytestmark = pytest.mark.django_db


def test_the_demo_wiki_has_notes_in_both_languages_with_history_and_runs_twice():
    call_command("demo", stdout=io.StringIO())
    pages = Page.objects.filter(group__slug="going-solo")
    assert pages.count() >= 5
    assert set(pages.values_list("language", flat=True)) == {"en", "fr"}
    assert all(page.current_revision_id for page in pages)
    for page in pages:
        revisions = list(page.revisions.order_by("number"))
        assert len(revisions) >= 2, page.title
        assert all(r.status == Revision.Status.APPROVED for r in revisions)
        assert [r.created_at for r in revisions] == sorted(r.created_at for r in revisions)
        assert page.current_revision == revisions[-1]
    index = pages.get(title="SoloCamp Leeds 2008")
    assert PageLink.objects.filter(source=index, target_key="pricing your work").exists()

    before = (Page.objects.count(), Revision.objects.count())
    call_command("demo", "--force", stdout=io.StringIO())
    assert (Page.objects.count(), Revision.objects.count()) == before

"""The demo's wiki notes: goingsolo/demo/content/wiki.py, through `wiki.services.page_import`,
the service for pages that come with their history."""

from datetime import timedelta

from goingsolo.demo.content.groups import GOING_SOLO
from goingsolo.demo.content.wiki import WIKI_PAGES
from goingsolo.groups.models import Membership
from goingsolo.wiki.models import Page, title_key
from goingsolo.wiki.services import page_import


def add_wiki_notes(demo):
    """Session notes of past barcamps in the Going Solo group's wiki, with their history."""
    group = demo.groups[GOING_SOLO]
    joined = dict(Membership.objects.filter(group=group).values_list("user_id", "joined_at"))
    present = set(Page.objects.filter(group=group).values_list("key", flat=True))
    for number, page in enumerate(WIKI_PAGES, start=1):
        if title_key(page.title) not in present:
            planned, previous = [], None
            for revision in page.revisions:
                author = demo.users[revision.author]
                # Not before the author joined, nor before the previous revision.
                at = demo.now - timedelta(days=revision.days_ago)
                at = max(at, joined[author.pk] + timedelta(hours=1), previous or at)
                at = min(at, demo.now)
                planned.append((author, revision.text, revision.summary, at))
                previous = at + timedelta(minutes=1)
            page_import(group=group, title=page.title, revisions=planned)
        demo.progress(number, len(WIKI_PAGES))

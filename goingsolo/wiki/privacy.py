"""The wiki's part of a member's export and of deleting their account
(the registry: `goingsolo/accounts/privacy.py`; docs/privacy.md).

A revision holds the whole page as it stood, everyone's words in it: the export lists the
member's edits (page, when, summary, size of the change, a link), not the pages' text;
their drafts, which are theirs alone, go with their text.
"""

from django.conf import settings

from goingsolo.accounts.privacy import ExportFile, eraser, exporter

from . import services
from .models import Draft, Revision


@exporter
def export_contributions(user):
    revisions = Revision.objects.filter(author=user).select_related("page", "group")
    yield ExportFile(
        "wiki_contributions.json",
        [
            {
                "group": revision.group.slug,
                "page": revision.page.title,
                "url": settings.SITE_URL + revision.page.get_absolute_url(),
                "revision": revision.number,
                "kind": revision.kind,
                "status": revision.status,
                "summary": revision.summary,
                "size_change": revision.size_change,
                "created_at": revision.created_at,
            }
            for revision in revisions.order_by("created_at", "pk")
        ],
    )
    drafts = Draft.objects.filter(user=user).select_related("page")
    yield ExportFile(
        "wiki_drafts.json",
        [
            {"page": draft.page.title, "summary": draft.summary, "body": draft.body}
            for draft in drafts.order_by("pk")
        ],
    )


@eraser
def erase_drafts_and_watches(user, *, keep_posts):
    services.account_wiki_traces_erase(user=user)

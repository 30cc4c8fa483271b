"""The wiki's section on a group's page: the pages changed last, and links to the wiki."""

from django.utils.translation import pgettext_lazy

from goingsolo.core.prepared import PreparedQuery
from goingsolo.groups import sections, tabs

from .models import Page

SECTION_PAGES = 5

tabs.register(tabs.Tab("wiki", pgettext_lazy("wiki", "Wiki"), "wiki:pages", order=30))


# Only what the list shows: the revision's text and whole user rows cost more to load than
# the query took; built once per process (docs/decisions/0002-read-path.md).
_latest_pages = PreparedQuery(
    lambda group_id: (
        Page.objects.filter(group_id=group_id, current_revision__isnull=False)
        .select_related("current_revision__author")
        .only(
            "title",
            "slug",
            "group_id",
            "updated_at",
            "current_revision__author__display_name",
            "current_revision__author__email",
        )
        .order_by("-updated_at", "-pk")[:SECTION_PAGES]
    )
)


@sections.register("group")
def wiki_section(request, *, group, access):
    if not access.can_view_content:
        return None
    pages = _latest_pages.objects(group_id=group.pk)
    for page in pages:
        page.group = group
    return sections.Section(
        template="wiki/_group_section.html",
        context={"group": group, "pages": pages, "can_edit": access.can_post},
        order=60,
    )

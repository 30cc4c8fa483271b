"""The wiki's section on a group's page: the pages changed last, and links to the wiki."""

from django.utils.translation import pgettext_lazy

from goingsolo.groups import sections, tabs

from .models import Page

SECTION_PAGES = 5

tabs.register(tabs.Tab("wiki", pgettext_lazy("wiki", "Wiki"), "wiki:pages", order=30))


@sections.register("group")
def wiki_section(request, *, group, access):
    if not access.can_view_content:
        return None
    # Only what the list shows: the revision's text and whole user rows cost more to load
    # than the query took (docs/decisions/0002-read-path.md).
    pages = list(
        Page.objects.filter(group=group, current_revision__isnull=False)
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
    for page in pages:
        page.group = group
    return sections.Section(
        template="wiki/_group_section.html",
        context={"group": group, "pages": pages, "can_edit": access.can_post},
        order=60,
    )

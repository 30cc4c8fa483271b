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
    pages = list(
        Page.objects.filter(group=group, current_revision__isnull=False)
        .select_related("group", "current_revision__author")
        .order_by("-updated_at", "-pk")[:SECTION_PAGES]
    )
    return sections.Section(
        template="wiki/_group_section.html",
        context={"group": group, "pages": pages, "can_edit": access.can_post},
        order=60,
    )
